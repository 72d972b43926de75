package org.ndis4j.nic;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.LeakPresenceDetector;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;
import org.ndis4j.wire.SwitchOptions;
import org.ndis4j.wire.SwitchPortStatistics;
import org.ndis4j.wire.TcpWireOptions;
import org.ndis4j.wire.TcpWirePort;
import org.ndis4j.wire.VirtualSwitch;

/** Two virtual NICs through the virtual switch over real loopback sockets. */
class NicSwitchIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int RING = 64;
    private static final TcpWireOptions FAST_RECONNECT =
            TcpWireOptions.DEFAULTS.withReconnect(Duration.ofMillis(20), Duration.ofMillis(200));

    /** One NIC, its wire and its driver. */
    private static final class Station implements AutoCloseable {
        final TcpWirePort wire;
        final HostMemory memory = new HostMemory(8L << 20);
        final VirtualNic nic;
        final TestDriver driver;
        final AtomicInteger interrupts = new AtomicInteger();
        final List<byte[]> received = new ArrayList<>();

        Station(String name, InetSocketAddress switchAddress, MacAddress address) {
            wire = TcpWirePort.connect(switchAddress, null, FAST_RECONNECT);
            nic = VirtualNic.builder(name, wire)
                    .memory(memory)
                    .permanentAddress(address)
                    .build();
            nic.resources().interrupt().connect(interrupts::incrementAndGet);
            driver = new TestDriver(nic, RING);
            driver.start(Registers.RCTL_DIRECTED | Registers.RCTL_BROADCAST);
            driver.unmask(Registers.INT_LINK_STATUS_CHANGE);
            driver.postReceiveBuffers(RING - 1);
        }

        boolean linkUp() {
            return (driver.registers.read32(Registers.STATUS) & Registers.STATUS_LINK_UP) != 0;
        }

        /** Reaps and reposts; true once {@code count} frames have arrived in all. */
        boolean hasReceived(int count) {
            List<TestDriver.Received> reaped = driver.reap();
            for (TestDriver.Received r : reaped) {
                received.add(r.data());
            }
            if (!reaped.isEmpty()) {
                driver.postReceiveBuffers(reaped.size());
            }
            return received.size() >= count;
        }

        @Override
        public void close() {
            driver.close();
            nic.close();
            wire.close();
            assertThat(memory.allocatedBytes()).isZero();
        }
    }

    private static final MacAddress A = MacAddress.of("02:4e:44:00:0a:01");
    private static final MacAddress B = MacAddress.of("02:4e:44:00:0b:01");

    private VirtualSwitch vswitch;
    private InetSocketAddress address;
    private Station a;
    private Station b;

    @BeforeEach
    void plugIn() {
        vswitch =
                VirtualSwitch.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), SwitchOptions.DEFAULTS);
        address = vswitch.localAddress();
        a = new Station("vnic-a", address, A);
        Await.until("A in port 1", TIMEOUT, () -> connected(1) && a.linkUp());
        b = new Station("vnic-b", address, B);
        Await.until("B in port 2", TIMEOUT, () -> connected(2) && b.linkUp());
    }

    @AfterEach
    void unplug() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        vswitch.close();
        LeakPresenceDetector.check();
    }

    private boolean connected(int port) {
        List<SwitchPortStatistics> ports = vswitch.ports();
        return ports.size() >= port && ports.get(port - 1).connected();
    }

    private void exchange(int round) {
        List<byte[]> toB = new ArrayList<>();
        List<byte[]> toA = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            toB.add(Frames.frame(B, A, 60 + i * 70, round * 1000 + i));
            toA.add(Frames.frame(A, B, HardwareLimits.MAX_FRAME_LENGTH - i * 50, round * 1000 + 500 + i));
        }
        int fromA = a.received.size();
        int fromB = b.received.size();
        for (int i = 0; i < toB.size(); i++) {
            a.driver.queueTransmit(toB.get(i));
            b.driver.queueTransmit(toA.get(i));
        }
        a.driver.kickTransmit();
        b.driver.kickTransmit();
        Await.until("B receives A's burst", TIMEOUT, () -> b.hasReceived(fromB + toB.size()));
        Await.until("A receives B's burst", TIMEOUT, () -> a.hasReceived(fromA + toA.size()));
        assertThat(b.received.subList(fromB, b.received.size())).containsExactlyElementsOf(toB);
        assertThat(a.received.subList(fromA, a.received.size())).containsExactlyElementsOf(toA);
    }

    private static final MacAddress OTHER_HOST = MacAddress.of("02:00:00:00:00:77");
    private static final MacAddress JOINED_GROUP = MacAddress.of("01:00:5e:00:00:fb");
    private static final MacAddress OTHER_GROUP = MacAddress.of("33:33:00:00:00:01");
    /** One frame per destination class; the switch floods all but B's own (which it has learned). */
    private static final MacAddress[] DESTINATIONS = {B, OTHER_HOST, JOINED_GROUP, OTHER_GROUP, MacAddress.BROADCAST};

    static Stream<Arguments> receiveModes() {
        return Stream.of(
                Arguments.of("directed", Registers.RCTL_DIRECTED, List.of(B)),
                Arguments.of("multicast (exact table)", Registers.RCTL_MULTICAST, List.of(JOINED_GROUP)),
                Arguments.of("all multicast", Registers.RCTL_ALL_MULTICAST, List.of(JOINED_GROUP, OTHER_GROUP)),
                Arguments.of("broadcast", Registers.RCTL_BROADCAST, List.of(MacAddress.BROADCAST)),
                Arguments.of("promiscuous", Registers.RCTL_PROMISCUOUS, List.of(DESTINATIONS)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("receiveModes")
    void receiveFilterHonoursEveryModeOverTheWire(String mode, int receiveControl, List<MacAddress> accepted) {
        exchange(1); // both MACs learned by the switch
        b.driver.registers.write32(Registers.RCTL, receiveControl);
        b.driver.registers.write32(Registers.mtaLo(0), JOINED_GROUP.registerLow());
        b.driver.registers.write32(Registers.mtaHi(0), JOINED_GROUP.registerHigh() | Registers.MTA_HI_VALID);
        long framesBefore = b.driver.counter(StatisticsCounter.RX_FRAMES);
        long filteredBefore = b.driver.counter(StatisticsCounter.RX_FILTERED);
        int receivedBefore = b.received.size();
        List<byte[]> expected = new ArrayList<>();
        for (MacAddress destination : DESTINATIONS) {
            byte[] frame = Frames.frame(destination, A, 64, expected.size() + 7);
            a.driver.queueTransmit(frame);
            if (accepted.contains(destination)) {
                expected.add(frame);
            }
        }
        a.driver.kickTransmit();
        Await.until(
                "every frame reached B's filter",
                TIMEOUT,
                () -> b.driver.counter(StatisticsCounter.RX_FRAMES)
                                - framesBefore
                                + b.driver.counter(StatisticsCounter.RX_FILTERED)
                                - filteredBefore
                        == DESTINATIONS.length);
        Await.until("B reaps what it accepted", TIMEOUT, () -> b.hasReceived(receivedBefore + expected.size()));
        assertThat(b.received.subList(receivedBefore, b.received.size())).containsExactlyElementsOf(expected);
        assertThat(b.driver.counter(StatisticsCounter.RX_FILTERED) - filteredBefore)
                .isEqualTo(DESTINATIONS.length - expected.size());
    }

    @Test
    void withNoPostedBufferFramesAreDroppedAndCounted() {
        exchange(1);
        b.driver.readCause();
        b.driver.unmask(Registers.INT_RX_OVERRUN);
        long framesBefore = b.driver.counter(StatisticsCounter.RX_FRAMES);
        // Fill every posted buffer on B without reaping, then send five more.
        int free = RING - 1;
        // A's ring holds RING - 1 descriptors: kick in eights, and reuse slots only once A's device took them.
        for (int i = 0; i < free + 5; i++) {
            a.driver.queueTransmit(Frames.frame(B, A, 100, i));
            if (i % 8 == 7) {
                a.driver.kickTransmit();
                a.driver.awaitTransmitted(TIMEOUT);
            }
        }
        a.driver.kickTransmit();
        Await.until(
                "five frames dropped for want of a buffer",
                TIMEOUT,
                () -> b.driver.counter(StatisticsCounter.RX_NO_BUFFER) == 5);
        // The device posts RX_OVERRUN at the end of the read burst, a moment after it counts the drop.
        int[] causes = {0};
        Await.until(
                "the RX_OVERRUN cause",
                TIMEOUT,
                () -> ((causes[0] |= b.driver.readCause()) & Registers.INT_RX_OVERRUN) != 0);
        assertThat(b.driver.counter(StatisticsCounter.RX_FRAMES) - framesBefore).isEqualTo(free);
    }

    @Test
    void framesCrossTheSwitchByteForByteInBothDirections() {
        exchange(1);
        exchange(2);
        assertThat(a.driver.counter(StatisticsCounter.TX_FRAMES)).isEqualTo(40);
        assertThat(b.driver.counter(StatisticsCounter.RX_FRAMES)).isEqualTo(40);
        assertThat(a.driver.counter(StatisticsCounter.RX_NO_BUFFER)).isZero();
    }

    @Test
    void switchPortAdminDownIsLinkDownAndUpIsLinkUp() {
        // The device raises its line on the wire thread right after STATUS changes, and while its
        // reconnects are refused the client's carrier may flap: so read ICR first (deasserting the
        // output), then wait for a raise that must follow, and for the STATUS bit.
        a.driver.readCause();
        int before = a.interrupts.get();
        vswitch.setAdminUp(1, false);
        Await.until("A's link down", TIMEOUT, () -> !a.linkUp());
        Await.until("a link status change interrupt", TIMEOUT, () -> a.interrupts.get() > before);
        int down = a.interrupts.get();
        assertThat(a.driver.readCause() & Registers.INT_LINK_STATUS_CHANGE).isNotZero();
        assertThat(b.linkUp()).isTrue();

        vswitch.setAdminUp(1, true);
        Await.until("A's link up again", TIMEOUT, a::linkUp);
        Await.until("a link status change interrupt", TIMEOUT, () -> a.interrupts.get() > down);
        assertThat(a.driver.readCause() & Registers.INT_LINK_STATUS_CHANGE).isNotZero();
        exchange(3);
    }

    @Test
    void nicsReconnectAfterTheSwitchRestarts() {
        vswitch.close();
        Await.until("both links down", TIMEOUT, () -> !a.linkUp() && !b.linkUp());
        Await.until("a switch on the same port", TIMEOUT, () -> {
            try {
                vswitch = VirtualSwitch.start(address, SwitchOptions.DEFAULTS);
                return true;
            } catch (RuntimeException portNotFreeYet) {
                return false;
            }
        });
        Await.until("both links up", TIMEOUT, () -> a.linkUp() && b.linkUp());
        exchange(4);
    }
}
