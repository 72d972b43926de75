package org.ndis4j.ndis.types;

/**
 * NDIS_TIMER_FUNCTION. Runs at DISPATCH_LEVEL, as a DPC, when the timer fires.
 *
 * @param <C> the FunctionContext given to {@code Ndis.setTimerObject} (or at allocation)
 */
@FunctionalInterface
public interface NdisTimerFunction<C> {

    void run(C functionContext, NdisTimer timer);
}
