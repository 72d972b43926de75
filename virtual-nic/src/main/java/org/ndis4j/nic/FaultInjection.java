package org.ndis4j.nic;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.ndis4j.nic.regs.StatisticsCounter;

/**
 * Fault-injection knobs, in the manner of netdevsim's debugfs files: a test (or the CLI) turns them
 * to make the device misbehave the way real hardware does, and the driver must cope.
 *
 * <ul>
 *   <li>{@link #dropNextReceived(int)}: the next N frames from the wire are lost before the
 *       receive filter ({@link StatisticsCounter#RX_FAULT_DROPS}).</li>
 *   <li>{@link #failNextTransmits(int)}: the next N transmit descriptors complete with ERR_FAULT
 *       ({@link StatisticsCounter#TX_FAULT_ERRORS}).</li>
 *   <li>{@link #pullCable()} / {@link #replugCable()}: link down / up whatever the wire's carrier.</li>
 *   <li>{@link #delayPhy(long)}: every PHY management access takes this much longer.</li>
 *   <li>{@link #stallTransmit()}: the transmit unit wedges (a hung DMA engine): it stops processing
 *       its ring, TX_HEAD stays where it is, no TX_DONE; descriptors the driver posts just wait.</li>
 *   <li>{@link #muteInterrupts()}: the device stops raising its interrupt line; causes still latch
 *       in ICR.</li>
 * </ul>
 *
 * A wedge ({@link #stallTransmit()}, {@link #muteInterrupts()}) lasts until the driver resets the
 * device (CTRL.RESET), as on hardware whose only cure is a reset — what MiniportResetEx is for.
 * Every knob is lock-free and safe from any thread.
 */
public final class FaultInjection {

    private final AtomicInteger receiveDrops = new AtomicInteger();
    private final AtomicInteger transmitFailures = new AtomicInteger();
    private volatile long extraPhyDelayNanos;
    private volatile boolean transmitStalled;
    private volatile boolean interruptsMuted;
    /** Told whether the cable is plugged in (true) or pulled (false). */
    private final Consumer<Boolean> cable;

    FaultInjection(Consumer<Boolean> cable) {
        this.cable = cable;
    }

    /** The next {@code frames} received frames are dropped (adds to any still pending). */
    public void dropNextReceived(int frames) {
        receiveDrops.addAndGet(requireNonNegative(frames));
    }

    /** The next {@code frames} transmits fail (adds to any still pending). */
    public void failNextTransmits(int frames) {
        transmitFailures.addAndGet(requireNonNegative(frames));
    }

    /** Pulls the cable: the link goes down (LINK_STATUS_CHANGE) even while the wire is connected. */
    public void pullCable() {
        cable.accept(false);
    }

    /** Plugs the cable back in: the link follows the wire's carrier again. */
    public void replugCable() {
        cable.accept(true);
    }

    /** Every PHY management access from now on takes {@code nanos} longer than the PHY's own time. */
    public void delayPhy(long nanos) {
        extraPhyDelayNanos = requireNonNegative(nanos);
    }

    /**
     * Wedges the transmit unit: from now until the next device reset (CTRL.RESET) it processes no
     * descriptor; the driver's sends stay in the ring, TX_HEAD does not move, TX_DONE is not raised.
     */
    public void stallTransmit() {
        transmitStalled = true;
    }

    /** Silences the interrupt line until the next device reset: causes latch in ICR, the line stays low. */
    public void muteInterrupts() {
        interruptsMuted = true;
    }

    /** True while the transmit unit is wedged. */
    public boolean isTransmitStalled() {
        return transmitStalled;
    }

    /** True while the interrupt line is silenced. */
    public boolean areInterruptsMuted() {
        return interruptsMuted;
    }

    /** CTRL.RESET: the wedges are gone (the counted knobs and the cable stay as they are). */
    void deviceReset() {
        transmitStalled = false;
        interruptsMuted = false;
    }

    /** True (and one fewer pending) when this received frame is to be dropped. */
    boolean takeReceiveDrop() {
        return takeOne(receiveDrops);
    }

    /** True (and one fewer pending) when this transmit is to fail. */
    boolean takeTransmitFailure() {
        return takeOne(transmitFailures);
    }

    long extraPhyDelayNanos() {
        return extraPhyDelayNanos;
    }

    /** Drops still to come. */
    public int pendingReceiveDrops() {
        return receiveDrops.get();
    }

    /** Transmit failures still to come. */
    public int pendingTransmitFailures() {
        return transmitFailures.get();
    }

    /** Clears the counted knobs (drops, failures, delay) and the wedges; the cable stays as it is. */
    public void clear() {
        receiveDrops.set(0);
        transmitFailures.set(0);
        extraPhyDelayNanos = 0;
        transmitStalled = false;
        interruptsMuted = false;
    }

    private static boolean takeOne(AtomicInteger pending) {
        for (; ; ) {
            int left = pending.get();
            if (left <= 0) {
                return false;
            }
            if (pending.compareAndSet(left, left - 1)) {
                return true;
            }
        }
    }

    private static int requireNonNegative(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("must not be negative: " + value);
        }
        return value;
    }

    private static long requireNonNegative(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("must not be negative: " + value);
        }
        return value;
    }
}
