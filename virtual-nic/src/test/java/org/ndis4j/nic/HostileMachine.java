package org.ndis4j.nic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.nic.regs.Registers.*;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.hw.SharedMemory;
import org.ndis4j.nic.regs.StatisticsCounter;
import org.ndis4j.wire.InMemoryWire;

/**
 * The machine of {@link HostileDriverFuzzTest}: two NICs on one bus, the hostile driver's and a
 * neighbour driven correctly by {@link TestDriver}, each with its wire peer and a {@link
 * BusAnalyser}, canary blocks between their memory, one {@link ManualDeviceTimer}. A step is the
 * {@link HostileDriver}'s action between a snapshot and the {@link HostileDriverChecks}. Apart from
 * both because it is the fixture: what exists, how the counters are totalled across resets, and
 * that closing it gives every byte back.
 */
final class HostileMachine implements AutoCloseable {

    static final long PHY_NANOS = 1_000;
    static final MacAddress HOSTILE = MacAddress.of("02:4e:44:00:0f:01");
    static final MacAddress NEIGHBOUR = MacAddress.of("02:4e:44:00:0f:02");
    static final MacAddress GROUP = MacAddress.of("01:00:5e:00:00:fb");
    static final int CANARY_LENGTH = 256;
    private static final int NEIGHBOUR_RING = 8;

    final HostMemory bus = new HostMemory(16L << 20);
    final ManualDeviceTimer timer = new ManualDeviceTimer();
    final List<SharedMemory> canaries = new ArrayList<>();

    final BusAnalyser hostileBus = new BusAnalyser(bus);
    final BusAnalyser neighbourBus = new BusAnalyser(bus);
    final InMemoryWire hostileWire = InMemoryWire.pair();
    final InMemoryWire neighbourWire = InMemoryWire.pair();
    final VirtualNic hostile;
    final VirtualNic neighbour;
    final RegisterSpace registers;
    final WirePeer hostilePeer;
    final WirePeer neighbourPeer;
    final TestDriver neighbourDriver;
    /** Counters up to the last CTRL.RESET, which clears them. */
    private final long[] beforeResets = new long[StatisticsCounter.values().length];

    private final HostileDriver driver;
    private final HostileDriverChecks checks;

    HostileMachine() {
        canary();
        for (int length : new int[] {128, 1024, 65536, 2048, 2048, 1518, 60}) {
            hostileBus.allocate(length);
            canary();
        }
        hostile = VirtualNic.builder("hostile", hostileWire.a())
                .memory(hostileBus)
                .timer(timer)
                .phyAccessNanos(PHY_NANOS)
                .permanentAddress(HOSTILE)
                .build();
        registers = hostile.resources().registers();
        hostilePeer = new WirePeer(hostileWire.b());
        neighbour = VirtualNic.builder("neighbour", neighbourWire.a())
                .memory(neighbourBus)
                .timer(timer)
                .permanentAddress(NEIGHBOUR)
                .build();
        neighbourPeer = new WirePeer(neighbourWire.b());
        neighbourDriver = new TestDriver(neighbour, NEIGHBOUR_RING);
        canary();
        neighbourDriver.start(RCTL_DIRECTED);
        neighbourDriver.postReceiveBuffers(NEIGHBOUR_RING - 1);
        driver = new HostileDriver(this);
        checks = new HostileDriverChecks(this, driver);
    }

    /** See {@link HostileDriver}: what a driver's initialization does. */
    void bringUp() {
        driver.bringUp();
    }

    /** One action of the hostile driver, then every check. */
    void step(FuzzedDataProvider data) {
        driver.beginStep();
        int status = registers.read32(STATUS);
        RingRegisters tx = RingRegisters.read(registers, TX_BASE_LO);
        RingRegisters rx = RingRegisters.read(registers, RX_BASE_LO);
        checks.beginStep(tx, rx);
        long[] counters = totals();
        driver.act(data);
        checks.afterStep(tx, rx, counters, status);
    }

    /** CTRL.RESET clears the hostile NIC's counters: keep them, for {@link #totals}. */
    void keepCountersAcrossReset() {
        long[] now = counters();
        for (int i = 0; i < now.length; i++) {
            beforeResets[i] += now[i];
        }
    }

    /** The driver's view of {@code length} bytes at {@code address}, or null if no block of its own holds them. */
    ByteBuf driverView(long address, int length) {
        for (SharedMemory block : hostileBus.given()) {
            long offset = address - block.physicalAddress();
            if (offset >= 0 && offset <= block.length() - length) {
                return block.virtualAddress().slice((int) offset, length);
            }
        }
        return null;
    }

    private long[] counters() {
        long[] values = new long[StatisticsCounter.values().length];
        for (StatisticsCounter c : StatisticsCounter.values()) {
            values[c.ordinal()] = hostile.statistics().get(c);
        }
        return values;
    }

    /** Counters since power-on, resets included. */
    long[] totals() {
        long[] values = counters();
        for (int i = 0; i < values.length; i++) {
            values[i] += beforeResets[i];
        }
        return values;
    }

    private void canary() {
        SharedMemory canary = bus.allocate(CANARY_LENGTH);
        for (int i = 0; i < CANARY_LENGTH; i++) {
            canary.virtualAddress().setByte(i, canaryByte(canary, i));
        }
        canaries.add(canary);
    }

    static byte canaryByte(SharedMemory canary, int i) {
        return (byte) (0xA5 ^ i ^ (canary.physicalAddress() >>> 12));
    }

    List<SharedMemory> allBlocks() {
        List<SharedMemory> all = new ArrayList<>(canaries);
        all.addAll(hostileBus.given());
        all.addAll(neighbourBus.given());
        return all;
    }

    @Override
    public void close() {
        neighbourDriver.close();
        for (SharedMemory block : List.copyOf(hostileBus.given())) {
            hostileBus.free(block);
        }
        canaries.forEach(bus::free);
        hostile.close();
        neighbour.close();
        hostileWire.a().close();
        hostileWire.b().close();
        neighbourWire.a().close();
        neighbourWire.b().close();
        timer.close();
        assertThat(bus.allocatedBytes()).as("bus memory left").isZero();
    }
}
