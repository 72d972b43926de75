package org.ndis4j.nic;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.LeakPresenceDetector;
import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.wire.InMemoryWire;

/**
 * One NIC on an in-memory wire, in virtual time: the device, a test driver, the far end of the wire
 * and a connected interrupt sink. {@link #close()} tears it all down and fails on leaked bus memory
 * or a leaked ByteBuf.
 */
final class NicBench implements AutoCloseable {

    static final long PHY_NANOS = 1_000_000;
    static final int RING_SIZE = 16;
    static final MacAddress STATION = MacAddress.of("02:4e:44:00:00:01");

    final InMemoryWire wire = InMemoryWire.pair();
    final ManualDeviceTimer timer = new ManualDeviceTimer();
    final HostMemory memory = new HostMemory(16L << 20);
    final VirtualNic nic;
    final WirePeer peer;
    final TestDriver driver;
    final AtomicInteger interrupts = new AtomicInteger();

    NicBench() {
        this(RING_SIZE);
    }

    NicBench(int ringSize) {
        nic = VirtualNic.builder("vnic-test", wire.a())
                .memory(memory)
                .timer(timer)
                .phyAccessNanos(PHY_NANOS)
                .permanentAddress(STATION)
                .build();
        peer = new WirePeer(wire.b());
        nic.resources().interrupt().connect(interrupts::incrementAndGet);
        driver = new TestDriver(nic, ringSize);
    }

    /** Times the device raised its line. */
    long raised() {
        return nic.resources().interrupt().raised();
    }

    @Override
    public void close() {
        driver.close();
        nic.close();
        wire.a().close();
        wire.b().close();
        timer.close();
        assertThat(memory.allocatedBytes()).as("bus memory still allocated").isZero();
        LeakPresenceDetector.check();
    }
}
