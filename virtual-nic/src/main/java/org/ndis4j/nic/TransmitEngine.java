package org.ndis4j.nic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.IllegalReferenceCountException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.ndis4j.hw.BusMemory;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;
import org.ndis4j.nic.regs.TransmitDescriptor;
import org.ndis4j.wire.WirePort;

/**
 * The transmit unit: when the driver moves the tail (or enables transmit with descriptors pending),
 * sends every frame from head to tail ({@link TransmitDescriptor}), writes each descriptor's status
 * back and advances head.
 *
 * <pre>
 *  descriptor ─▶ 14..MAXFRAME bytes? ─▶ fault? ─▶ link up? ─▶ buffer in memory? ─▶ DMA copy ─▶ wire.send
 *                 │ no               │ yes     │ no        │ no                 (one copy)    │ refused
 *              ERR_LENGTH        ERR_FAULT  ERR_NO_CARRIER  ERR_DMA                       ERR_NO_CARRIER
 *  then: status |= DONE, head++ ; every TX_BURST_FRAMES frames and at the end: one wire.flush()
 *  TX_DONE is raised when a descriptor with REPORT_STATUS completes.
 * </pre>
 *
 * <p>Where it runs: on a wire with an event loop ({@link WirePort#eventLoop()}: TCP, TAP), a tail
 * write only schedules a transmit pass on that loop and returns, as a NIC's DMA engine works apart
 * from the processor that rang its doorbell; the pass raises TX_DONE itself. A tail write on the loop
 * itself (a DPC the loop runs for an interrupt it raised) schedules the pass too, after the task
 * that runs now, not inside it: no wake-up, and the receive path is not re-entered. Tail writes that come while a pass is scheduled share it, so a burst of sends costs one
 * hop to the loop and one flush. On a wire without a loop (in memory) the pass runs in the tail
 * write, and its causes are returned to the register file.
 *
 * <p>With the PHY in loopback, frames go to the device's own receive unit instead of the wire, and
 * the link need not be up. The copy buffer comes from the wire's allocator; the wire (or the
 * receive unit) owns it from then on. A bad descriptor never throws out of the device.
 */
final class TransmitEngine {

    private final BusMemory memory;
    private final WirePort wire;
    private final Phy phy;
    private final ReceiveEngine loopback;
    private final FaultInjection faults;
    private final Statistics statistics;
    /** Raises interrupt causes found by a pass that runs on the wire's loop. */
    private final IntConsumer signal;
    /** The wire's event loop, where passes run; null: on the writer's thread. */
    private final EventLoop dmaLoop;
    /** A pass is scheduled on {@link #dmaLoop} and has not started yet. */
    private final AtomicBoolean passScheduled = new AtomicBoolean();

    private final Runnable pass = this::runScheduledPass;

    /** Guards ring, enabled and the burst flags, and serialises transmission (wire order). */
    private final Object lock = new Object();

    private final DescriptorRing ring;
    private boolean enabled;
    /** Frames handed to the wire since the last flush. */
    private int unflushed;
    /** Frames looped back in this burst. */
    private boolean looped;

    private final FrameLengthLimit limit;

    TransmitEngine(
            BusMemory memory,
            WirePort wire,
            Phy phy,
            ReceiveEngine loopback,
            FaultInjection faults,
            Statistics statistics,
            FrameLengthLimit limit,
            IntConsumer signal) {
        this.limit = limit;
        this.signal = signal;
        this.dmaLoop = wire.eventLoop();
        this.memory = memory;
        this.wire = wire;
        this.phy = phy;
        this.loopback = loopback;
        this.faults = faults;
        this.statistics = statistics;
        this.ring = new DescriptorRing(memory, statistics);
    }

    /**
     * Writes a ring register; a tail write starts transmission, on the wire's loop when there is one
     * (see the class comment). Returns the causes to signal now.
     */
    int writeRegister(int register, int value) {
        synchronized (lock) {
            boolean tailMoved = ring.write(register, value);
            if (!tailMoved || !enabled) {
                return 0;
            }
            if (dmaLoop == null) {
                return transmit();
            }
        }
        schedulePass();
        return 0;
    }

    /** One pass on the wire's loop, however many tail writes ask for it (from the loop: no wake-up). */
    private void schedulePass() {
        if (passScheduled.compareAndSet(false, true)) {
            try {
                dmaLoop.execute(pass);
            } catch (RejectedExecutionException wireClosed) {
                runScheduledPass(); // the loop is gone: the sends fail here (no carrier), and TX_DONE says so
            }
        }
    }

    /** A pass on the wire's loop: what the ring holds now goes out, then its causes are raised. */
    private void runScheduledPass() {
        passScheduled.set(false); // a tail write from now on schedules another pass
        int causes;
        synchronized (lock) {
            causes = enabled ? transmit() : 0;
        }
        signal.accept(causes);
    }

    int readRegister(int register) {
        synchronized (lock) {
            return ring.read(register);
        }
    }

    /** Enables or disables the unit; enabling sends what is pending. Returns the causes to signal. */
    int setEnabled(boolean on) {
        synchronized (lock) {
            boolean wasEnabled = enabled;
            enabled = on;
            return on && !wasEnabled ? transmit() : 0;
        }
    }

    boolean isEnabled() {
        synchronized (lock) {
            return enabled;
        }
    }

    /** True while the ring is unusable (STATUS.TX_RING_ERROR). */
    boolean isRingFaulted() {
        synchronized (lock) {
            return ring.isFaulted();
        }
    }

    /** Device reset: disabled, ring unprogrammed. */
    void reset() {
        synchronized (lock) {
            enabled = false;
            ring.reset();
        }
    }

    /** Sends head .. tail-1. Under the lock. */
    private int transmit() {
        ByteBuf descriptors = ring.descriptors();
        if (descriptors == null) {
            return ring.takeFaultCause();
        }
        if (faults.isTransmitStalled()) {
            return 0; // a wedged unit leaves the descriptors where they are until a reset
        }
        int causes = 0;
        looped = false;
        try {
            while (!ring.isEmpty()) {
                int index = ring.head();
                int control = control(descriptors, index);
                int status = transmitOne(descriptors, index, control & 0xffff);
                writeStatus(descriptors, index, status | TransmitDescriptor.STATUS_DONE);
                if ((control >>> 16 & TransmitDescriptor.CMD_REPORT_STATUS) != 0) {
                    causes |= Registers.INT_TX_DONE;
                }
                ring.advanceHead();
                if (unflushed == HardwareLimits.TX_BURST_FRAMES) {
                    flush();
                }
            }
        } catch (IllegalReferenceCountException ringFreed) {
            ring.fail();
        } finally {
            flush();
        }
        if (looped) {
            causes |= loopback.takePendingCauses();
        }
        return causes | ring.takeFaultCause();
    }

    /** Sends one descriptor's frame of {@code length} bytes. Returns the error status bits, 0 when sent. */
    private int transmitOne(ByteBuf descriptors, int index, int length) {
        if (length < HardwareLimits.ETHERNET_HEADER_LENGTH || length > limit.maxFrameLength()) {
            statistics.increment(StatisticsCounter.TX_LENGTH_ERRORS);
            return TransmitDescriptor.STATUS_ERR_LENGTH;
        }
        if (faults.takeTransmitFailure()) {
            statistics.increment(StatisticsCounter.TX_FAULT_ERRORS);
            return TransmitDescriptor.STATUS_ERR_FAULT;
        }
        boolean loopbackMode = phy.isLoopback();
        if (!loopbackMode && !phy.isLinkUp()) {
            statistics.increment(StatisticsCounter.TX_NO_CARRIER);
            return TransmitDescriptor.STATUS_ERR_NO_CARRIER;
        }
        ByteBuf frame = dmaCopy(bufferAddress(descriptors, index), length);
        if (frame == null) {
            statistics.increment(StatisticsCounter.TX_DMA_ERRORS);
            return TransmitDescriptor.STATUS_ERR_DMA;
        }
        if (loopbackMode) {
            looped = true;
            loopback.receive(frame);
        } else if (wire.send(frame)) {
            unflushed++;
        } else {
            statistics.increment(StatisticsCounter.TX_NO_CARRIER);
            return TransmitDescriptor.STATUS_ERR_NO_CARRIER;
        }
        statistics.increment(StatisticsCounter.TX_FRAMES);
        statistics.add(StatisticsCounter.TX_BYTES, length);
        return 0;
    }

    /** The one copy: bus memory into a buffer from the wire's allocator, or null for a bad address. */
    private ByteBuf dmaCopy(long address, int length) {
        ByteBuf frame = wire.alloc().buffer(length, length);
        try {
            memory.readInto(address, frame, length);
            return frame;
        } catch (IllegalArgumentException | IllegalReferenceCountException badAddress) {
            frame.release();
            return null;
        }
    }

    private void flush() {
        if (unflushed > 0) {
            unflushed = 0;
            wire.flush();
        }
    }

    // ---- the device's side of a transmit descriptor (layout: TransmitDescriptor) --------------

    private static long bufferAddress(ByteBuf ring, int index) {
        return ring.getLongLE(TransmitDescriptor.offset(index) + TransmitDescriptor.ADDRESS_OFFSET);
    }

    /** Length (bits 15:0) and command (bits 23:16): bytes 8 to 11 in one read, status in bits 31:24. */
    private static int control(ByteBuf ring, int index) {
        return ring.getIntLE(TransmitDescriptor.offset(index) + TransmitDescriptor.LENGTH_OFFSET);
    }

    private static void writeStatus(ByteBuf ring, int index, int status) {
        ring.setByte(TransmitDescriptor.offset(index) + TransmitDescriptor.STATUS_OFFSET, status);
    }
}
