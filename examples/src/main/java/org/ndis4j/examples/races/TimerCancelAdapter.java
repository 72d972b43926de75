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
 * Race 4, the adapter: a statistics timer takes an NBL from the adapter's pool at each sample and
 * re-arms itself; the first sample comes {@link #FIRST_SAMPLE_MILLIS} after initialization, later ones
 * every {@link #SAMPLE_PERIOD_MILLIS}. Halt resets the device, polls CTRL until the reset is done (at
 * most the datasheet's reset time, which the first sample shares), cancels the timer and frees it and
 * the pool, ignoring what NdisCancelTimerObject returned.
 *
 * <pre>
 *   halt (PASSIVE, CPU0 free)                      timer function (DISPATCH, CPU1)
 *    CTRL.RESET; poll CTRL.RESET every 100 us ...   ... the first sample expires as the poll ends
 *    lock; stopping = true; unlock                   lock; polls++; unlock
 *    NdisCancelTimerObject: FALSE (it is not in      NdisAllocateNetBufferList(pool) ◄── freed
 *      the timer queue: it expired)                  lock; stopping? set event : re-arm; unlock
 *    RACY:  NdisFreeTimerObject, NdisFreeNetBufferListPool      under the running function
 *    FIXED: FALSE ──► NdisWaitEvent(pollDone) first: the function sets it when it sees stopping
 * </pre>
 *
 * The failure depends on where the function is: its DPC still queued (0xC7 TIMER_OR_DPC_INVALID), or
 * running (0xC4: the pool or the timer used after free). On one processor it cannot happen: PASSIVE
 * halt never runs while the function's DPC is in the middle. In virtual time the poll ends exactly
 * when the first sample expires; on a real clock every NdisMSleep of the poll oversleeps (to the
 * millisecond on the threaded kernel, to the clock tick on Windows), so the first sample is long done
 * and the next one a second away when halt cancels: the window opens only when the sample's DPC is
 * held up for the whole poll.
 */
final class TimerCancelAdapter implements RaceAdapter {

    /** The first sample: after the device's reset time, so it expires as halt's reset poll ends. */
    static final int FIRST_SAMPLE_MILLIS = RaceHardware.RESET_WAIT_MICROS / 1000;

    /** The samples after the first. */
    static final int SAMPLE_PERIOD_MILLIS = 1000;

    /** How often halt reads CTRL while the device resets. */
    private static final int RESET_POLL_MICROS = 100;

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
        Ndis.setTimerObject(timer, -FIRST_SAMPLE_MILLIS * 10_000L, 0, adapter);
        return adapter;
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL. */
    @Override
    public void halt() {
        RaceHardware.reset(registers);
        for (int waited = 0;
                waited < RaceHardware.RESET_WAIT_MICROS && RaceHardware.resetting(registers);
                waited += RESET_POLL_MICROS) {
            NdisM.sleep(RESET_POLL_MICROS); // the datasheet: CTRL.RESET clears within the reset time
        }
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
            Ndis.setTimerObject(timer, -SAMPLE_PERIOD_MILLIS * 10_000L, 0, adapter);
        }
        Ndis.dprReleaseSpinLock(adapter.lock);
    }
}
