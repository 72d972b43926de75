package org.ndis4j.nic;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.hw.BusMemory;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.hw.HotPlugSlot;
import org.ndis4j.hw.InterruptLine;
import org.ndis4j.kernel.Simulation;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.PhyRegisters;
import org.ndis4j.nic.regs.ReceiveDescriptor;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.TransmitDescriptor;
import org.ndis4j.wire.WireListener;
import org.ndis4j.wire.WirePort;

/**
 * The virtual NIC: a bus-master Ethernet controller attached to one {@link WirePort}. A miniport
 * programs it through {@link #resources()} exactly as it would program hardware: registers
 * ({@link Registers}), descriptor rings in bus memory ({@link TransmitDescriptor},
 * {@link ReceiveDescriptor}), the PHY through MDIC ({@link PhyRegisters}), and its interrupt line.
 *
 * <pre>
 *            driver (processors, workers)                      wire thread
 *                 │ read32/write32                                  │ frames, carrier
 *   ┌─────────────▼───────────────────────────────────────────────────▼──────────┐
 *   │ DeviceRegisterFile ──▶ TransmitEngine ──(DMA copy)──▶ WirePort.send/flush   │
 *   │        │          └──▶ ReceiveEngine ◀── ReceiveFilter ◀── frameReceived   │
 *   │        │                    │ (PHY loopback: TX ─▶ RX)                      │
 *   │        ├──▶ MdioController ──▶ Phy ◀── carrierChanged, cable (faults)      │
 *   │        └──▶ InterruptController ──(mask, moderation, DeviceTimer)──▶ line   │
 *   │ Statistics (lock-free counters)     FaultInjection (knobs)                 │
 *   └────────────────────────────────────────────────────────────────────────────┘
 *                    BusMemory (descriptor rings and buffers, by physical address)
 * </pre>
 *
 * <p>Threads: registers are accessed from driver threads, frames and carrier arrive on the wire's
 * thread, PHY completions and deferred interrupts on the {@link DeviceTimer}'s. Each unit guards its
 * own state with its own lock; the device never calls driver code: it only raises the line.
 *
 * <p>Pulled from its slot ({@link #surpriseRemove()}), the device is gone as a pulled PCI card is: its
 * registers read all ones (0xFFFFFFFF) and ignore writes, DMA stops, the line stays low, and the slot
 * tells the PnP manager, which surprise-removes the adapter.
 * Lock order: transmit → receive (PHY loopback) → filter; MDIO → PHY; the interrupt controller's
 * lock is taken last and never held while raising the line.
 */
public final class VirtualNic implements AutoCloseable {

    private static final AtomicInteger NEXT_SERIAL = new AtomicInteger(1);

    private final String name;
    private final WirePort wire;
    private final DeviceTimer timer;
    private final boolean ownsTimer;
    private final MacAddress permanentAddress;
    private final Statistics statistics = new Statistics();
    private final Phy phy = new Phy();
    private final FaultInjection faults;
    private final InterruptController interrupts;
    private final ReceiveFilter filter;
    private final ReceiveEngine receive;
    /** MAXFRAME, shared by both units. */
    private final FrameLengthLimit frameLimit = new FrameLengthLimit();

    private final TransmitEngine transmit;
    private final MdioController mdio;
    private final DeviceResources resources;
    private volatile boolean closed;
    /** Pulled from its slot: nothing of the device answers any more. */
    private volatile boolean removed;

    private VirtualNic(Builder builder) {
        name = builder.name;
        wire = builder.wire;
        ownsTimer = builder.timer == null;
        Optional<Simulation> run = Simulation.current();
        // Inside a deterministic run the device keeps the run's virtual time and numbers its MACs per run.
        timer = !ownsTimer
                ? builder.timer
                : run.<DeviceTimer>map(SimulationDeviceTimer::new).orElseGet(() -> new ExecutorDeviceTimer(name));
        long serial = run.map(s -> (long) s.serial("nic")).orElseGet(() -> (long) NEXT_SERIAL.getAndIncrement());
        permanentAddress = builder.permanentAddress != null
                ? builder.permanentAddress
                : new MacAddress(0x02_4E44_00_0000L | serial & 0xFF_FFFF);
        BusMemory memory = builder.memory != null ? builder.memory : new HostMemory();
        InterruptLine line = new InterruptLine(name);

        faults = new FaultInjection(this::cableChanged);
        interrupts = new InterruptController(line, timer, statistics, () -> removed || faults.areInterruptsMuted());
        filter = new ReceiveFilter(permanentAddress);
        receive = new ReceiveEngine(memory, filter, faults, statistics, frameLimit);
        transmit = new TransmitEngine(memory, wire, phy, receive, faults, statistics, frameLimit, interrupts::signal);
        mdio = new MdioController(phy, timer, builder.phyAccessNanos, faults, statistics, this::linkStatusChanged);
        DeviceRegisterFile registers = new DeviceRegisterFile(
                transmit, receive, filter, interrupts, mdio, phy, statistics, frameLimit, this::reset, () -> removed);
        resources = new DeviceResources(name, registers, memory, line, new HotPlugSlot(name));
        wire.attach(new Port());
    }

    /** A builder for a NIC named {@code name} on {@code wire}. */
    public static Builder builder(String name, WirePort wire) {
        return new Builder(name, wire);
    }

    /** What the bus hands the miniport: registers, bus memory, interrupt line. */
    public DeviceResources resources() {
        return resources;
    }

    /** The address in the device's EEPROM: RAL/RAH after reset. */
    public MacAddress permanentAddress() {
        return permanentAddress;
    }

    /** The statistics counters (also readable as registers). */
    public Statistics statistics() {
        return statistics;
    }

    /** The fault-injection knobs. */
    public FaultInjection faults() {
        return faults;
    }

    /** The wire the device is attached to. */
    public WirePort wire() {
        return wire;
    }

    /**
     * Pulls the device out of its slot without warning: from now on its registers read 0xFFFFFFFF and
     * ignore writes, it moves no frame (later frames from the wire are released unseen), it raises no
     * interrupt; then the slot tells the PnP manager ({@code HotPlugSlot}), which runs the surprise
     * removal (MiniportDevicePnPEventNotify, then halt) on a system thread. Idempotent.
     */
    public void surpriseRemove() {
        if (removed) {
            return;
        }
        removed = true;
        receive.reset();
        transmit.reset();
        mdio.reset();
        resources.slot().surpriseRemove();
    }

    /** True once the device was pulled from its slot. */
    public boolean isRemoved() {
        return removed;
    }

    /**
     * Powers the device off: receive and transmit stop, later frames from the wire are released
     * unseen, and a timer the device created is stopped. The wire and the bus memory belong to
     * whoever passed them in.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        receive.reset();
        transmit.reset();
        mdio.reset();
        if (ownsTimer) {
            timer.close();
        }
    }

    /** CTRL.RESET: every unit back to its power-on state; the physical link stays as it is. */
    private void reset() {
        faults.deviceReset(); // a wedged unit or a silenced line comes back
        receive.reset();
        transmit.reset();
        filter.reset();
        frameLimit.reset();
        mdio.reset();
        phy.reset();
        interrupts.reset();
        statistics.clear();
    }

    private void cableChanged(boolean plugged) {
        if (phy.setCablePlugged(plugged)) {
            linkStatusChanged();
        }
    }

    private void linkStatusChanged() {
        interrupts.signal(Registers.INT_LINK_STATUS_CHANGE);
    }

    @Override
    public String toString() {
        return "VirtualNic[" + name + ", " + permanentAddress + "]";
    }

    /** The device's side of the wire: runs on the wire's thread. */
    private final class Port implements WireListener {
        @Override
        public void frameReceived(ByteBuf frame) {
            if (closed || removed) {
                frame.release();
            } else {
                receive.receive(frame);
            }
        }

        @Override
        public void receiveComplete() {
            interrupts.signal(receive.takePendingCauses());
        }

        @Override
        public void carrierChanged(boolean up) {
            if (phy.setCarrier(up) && !closed && !removed) {
                linkStatusChanged();
            }
        }
    }

    /** Configuration of one device. Only the name and the wire are required. */
    public static final class Builder {
        private final String name;
        private final WirePort wire;
        private BusMemory memory;
        private DeviceTimer timer;
        private long phyAccessNanos = HardwareLimits.PHY_ACCESS_NANOS;
        private MacAddress permanentAddress;

        private Builder(String name, WirePort wire) {
            if (name == null || name.isEmpty() || wire == null) {
                throw new IllegalArgumentException("a device needs a name and a wire");
            }
            this.name = name;
            this.wire = wire;
        }

        /** The bus memory the device DMAs through (default: its own {@link HostMemory}). */
        public Builder memory(BusMemory busMemory) {
            this.memory = busMemory;
            return this;
        }

        /** The device's clock and timers (default: its own {@link ExecutorDeviceTimer}, closed with it). */
        public Builder timer(DeviceTimer deviceTimer) {
            this.timer = deviceTimer;
            return this;
        }

        /** Time one PHY management access takes (default {@link HardwareLimits#PHY_ACCESS_NANOS}). */
        public Builder phyAccessNanos(long nanos) {
            if (nanos < 0) {
                throw new IllegalArgumentException("PHY access time must not be negative: " + nanos);
            }
            this.phyAccessNanos = nanos;
            return this;
        }

        /** The EEPROM address (default: a locally administered 02:4e:44:xx:xx:xx, unique per JVM). */
        public Builder permanentAddress(MacAddress address) {
            if (address != null && address.isGroup()) {
                throw new IllegalArgumentException("a station address cannot be a group address: " + address);
            }
            this.permanentAddress = address;
            return this;
        }

        /** Builds the device and attaches it to the wire. */
        public VirtualNic build() {
            return new VirtualNic(this);
        }
    }
}
