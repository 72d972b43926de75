package org.ndis4j.nic;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.LeakPresenceDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;
import org.ndis4j.wire.InMemoryWire;
import org.ndis4j.wire.WirePort;

/**
 * Two NICs back to back, each driven by its own thread: every frame one thread transmits is
 * received (on the sender's thread) into the other NIC while that NIC's own thread reaps and
 * reposts its ring and transmits. Every frame is either received byte-for-byte, in order, or
 * counted as a no-buffer drop; nothing deadlocks, nothing leaks.
 */
class BackToBackConcurrencyTest {

    private static final int RING = 256;
    private static final int FRAMES = 4000;
    private static final int BURST = 8;
    private static final MacAddress ONE = MacAddress.of("02:4e:44:00:01:01");
    private static final MacAddress TWO = MacAddress.of("02:4e:44:00:02:01");

    private record Side(VirtualNic nic, TestDriver driver, HostMemory memory, List<byte[]> received) {}

    private static Side side(String name, WirePort port, MacAddress address, ManualDeviceTimer timer) {
        HostMemory memory = new HostMemory(32L << 20);
        VirtualNic nic = VirtualNic.builder(name, port)
                .memory(memory)
                .timer(timer)
                .permanentAddress(address)
                .build();
        TestDriver driver = new TestDriver(nic, RING);
        driver.start(Registers.RCTL_DIRECTED);
        driver.postReceiveBuffers(RING - 1);
        return new Side(nic, driver, memory, new ArrayList<>());
    }

    /** Sends FRAMES frames to {@code peer} in bursts, reaping and reposting its own ring as it goes. */
    private static void run(Side self, MacAddress peer, MacAddress me) {
        for (int sent = 0; sent < FRAMES; sent += BURST) {
            for (int i = 0; i < BURST; i++) {
                self.driver.queueTransmit(Frames.frame(peer, me, 60 + (sent + i) % 1400, sent + i), 0);
            }
            self.driver.kickTransmit();
            reap(self);
        }
    }

    private static void reap(Side self) {
        List<TestDriver.Received> reaped = self.driver.reap();
        for (TestDriver.Received r : reaped) {
            self.received.add(r.data());
        }
        if (!reaped.isEmpty()) {
            self.driver.postReceiveBuffers(reaped.size());
        }
    }

    @Test
    void twoDriverThreadsAndTwoDevicesInterleaveSafely() throws Exception {
        InMemoryWire wire = InMemoryWire.pair();
        ManualDeviceTimer timer = new ManualDeviceTimer();
        Side one = side("vnic-1", wire.a(), ONE, timer);
        Side two = side("vnic-2", wire.b(), TWO, timer);

        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> run(one, TWO, ONE));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> run(two, ONE, TWO));
        CompletableFuture.allOf(first, second).get(60, TimeUnit.SECONDS);
        reap(one);
        reap(two);

        for (Side[] pair : new Side[][] {{one, two}, {two, one}}) {
            Side receiver = pair[0];
            Side sender = pair[1];
            long dropped = receiver.driver.counter(StatisticsCounter.RX_NO_BUFFER);
            assertThat(sender.driver.counter(StatisticsCounter.TX_FRAMES)).isEqualTo(FRAMES);
            assertThat(receiver.received.size() + dropped).isEqualTo(FRAMES);
            assertThat(receiver.driver.counter(StatisticsCounter.RX_FRAMES)).isEqualTo(receiver.received.size());
            // what arrived is an in-order subsequence of what was sent, byte for byte
            MacAddress to = receiver == one ? ONE : TWO;
            MacAddress from = receiver == one ? TWO : ONE;
            int next = 0;
            for (byte[] frame : receiver.received) {
                while (next < FRAMES
                        && !java.util.Arrays.equals(frame, Frames.frame(to, from, 60 + next % 1400, next))) {
                    next++;
                }
                assertThat(next).as("frame matched in order").isLessThan(FRAMES);
                next++;
            }
        }
        for (Side side : new Side[] {one, two}) {
            side.driver.close();
            side.nic.close();
            assertThat(side.memory.allocatedBytes()).isZero();
        }
        wire.a().close();
        wire.b().close();
        LeakPresenceDetector.check();
    }
}
