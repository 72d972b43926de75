package org.ndis4j.examples.races;

import org.ndis4j.hw.DeviceResources;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.types.NdisEvent;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisSpinLock;
import org.ndis4j.ndis.types.NdisTimer;

/**
 * Race 4, the adapter: a statistics timer that re-arms itself every {@link #POLL_MILLIS} and takes an
 * NBL from the adapter's pool each time; halt cancels it and frees the timer and the pool, ignoring
 * what NdisCancelTimerObject returned.
 *
 * <pre>
 *   halt (PASSIVE, CPU0 free)                      timer function (DISPATCH, CPU1)
 *    CTRL.RESET; NdisMSleep(reset time) ...          ... expires at the same instant
 *    lock; stopping = true; unlock                   lock; polls++; unlock
 *    NdisCancelTimerObject: FALSE (it is not in      NdisAllocateNetBufferList(pool) ◄── freed
 *      the timer queue: it expired)                  lock; stopping? set event : re-arm; unlock
 *    RACY:  NdisFreeTimerObject, NdisFreeNetBufferListPool      under the running function
 *    FIXED: FALSE ──► NdisWaitEvent(pollDone) first: the function sets it when it sees stopping
 * </pre>
 *
 * The failure depends on where the function is: its DPC still queued (0xC7 TIMER_OR_DPC_INVALID), or
 * running (0xC4: the pool or the timer used after free). On one processor it cannot happen: PASSIVE
 * halt never runs while the function's DPC is in the middle.
 */
final class TimerCancelAdapter implements RaceAdapter {

    /** The statistics period; the same as the device's reset time, so the two expire together. */
    static final int POLL_MILLIS = RaceHardware.RESET_WAIT_MICROS / 1000;

    private static final int POOL_TAG = 0x65636152; // 'Race'

    private final RegisterSpace registers;
    private final Variant variant;
    private final NetBufferListPool pool;
    private final NdisTimer timer;
    /** Set by the timer function when it ran with stopping set (it did not re-arm). */
    private final NdisEvent pollDone;
    /** Guards stopping and polls, and the re-arm decision. */
    private final NdisSpinLock lock = Ndis.allocateSpinLock();

    private boolean stopping;
    private int polls;

    private TimerCancelAdapter(RegisterSpace registers, Variant variant, NetBufferListPool pool, NdisTimer timer) {
        this.registers = registers;
        this.variant = variant;
        this.pool = pool;
        this.timer = timer;
        this.pollDone = Ndis.initializeEvent();
    }

    /** MiniportInitializeEx. Runs at PASSIVE_LEVEL: allocates, then starts the statistics timer. */
    static TimerCancelAdapter initialize(NdisMiniportAdapterHandle handle, DeviceResources resources, Variant variant) {
        NetBufferListPool pool = Ndis.allocateNetBufferListPool(handle, NetBufferListPoolParameters.nblOnly(POOL_TAG));
        if (pool == null) {
            return null;
        }
        NdisTimer timer = Ndis.allocateTimerObject(handle, TimerCancelAdapter::poll, null);
        if (timer == null) {
            Ndis.freeNetBufferListPool(pool);
            return null;
        }
        TimerCancelAdapter adapter = new TimerCancelAdapter(resources.registers(), variant, pool, timer);
        RaceHardware.setAttributes(handle, adapter);
        Ndis.setTimerObject(timer, -POLL_MILLIS * 10_000L, 0, adapter);
        return adapter;
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL. */
    @Override
    public void halt() {
        RaceHardware.reset(registers);
        NdisM.sleep(RaceHardware.RESET_WAIT_MICROS); // the datasheet's reset time
        Ndis.acquireSpinLock(lock);
        stopping = true; // the function re-arms no more
        Ndis.releaseSpinLock(lock);
        if (!Ndis.cancelTimerObject(timer)) {
            // FALSE: the timer had expired: its function is queued or running, and uses the pool.
            if (variant == Variant.FIXED) {
                Ndis.waitEvent(pollDone, 0); // FIX: wait until it has seen stopping
            } // RACY: frees anyway
        }
        Ndis.freeTimerObject(timer);
        Ndis.freeNetBufferListPool(pool);
    }

    /** The timer function. Runs at DISPATCH_LEVEL: a statistics sample in an NBL, then re-arm. */
    private static void poll(TimerCancelAdapter adapter, NdisTimer timer) {
        Ndis.dprAcquireSpinLock(adapter.lock);
        adapter.polls++;
        Ndis.dprReleaseSpinLock(adapter.lock);
        NetBufferList sample = Ndis.allocateNetBufferList(adapter.pool, 0, 0);
        if (sample != null) {
            Ndis.freeNetBufferList(sample);
        }
        Ndis.dprAcquireSpinLock(adapter.lock);
        if (adapter.stopping) {
            Ndis.setEvent(adapter.pollDone);
        } else {
            Ndis.setTimerObject(timer, -POLL_MILLIS * 10_000L, 0, adapter);
        }
        Ndis.dprReleaseSpinLock(adapter.lock);
    }
}
