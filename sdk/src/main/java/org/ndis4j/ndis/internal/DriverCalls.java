package org.ndis4j.ndis.internal;

import java.util.function.Supplier;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.types.NdisHandle;

/**
 * The one way NDIS calls into a driver: with the driver named as the code the thread runs, so that
 * a bug check inside the handler blames it, and restored on the way out whatever happens. (ISRs and
 * DPCs are the exception that proves it: the kernel names their driver when a processor runs them.)
 *
 * <p>Control paths (initialize, pause, attach, bind, OID requests, ...) pass the handler as a
 * lambda. The data path calls a handler per NBL chain, so it passes a constant {@link NblHandler}
 * and the arguments separately: a lambda that captured the chain would be an object per call unless
 * the JIT's escape analysis removed it, and "no allocation per frame" should not depend on that.
 * Non-capturing lambdas, as below, are made once.
 */
final class DriverCalls {

    private DriverCalls() {}

    /** Calls a handler that returns a result (an NDIS_STATUS, mostly) as {@code driver}'s code. */
    static <T> T call(String driver, Supplier<T> handler) {
        String previous = CurrentThread.enterDriver(driver);
        try {
            return handler.get();
        } finally {
            CurrentThread.leaveDriver(previous);
        }
    }

    /** Calls a handler that returns nothing as {@code driver}'s code. */
    static void run(String driver, Runnable handler) {
        String previous = CurrentThread.enterDriver(driver);
        try {
            handler.run();
        } finally {
            CurrentThread.leaveDriver(previous);
        }
    }

    /**
     * A data-path handler of the driver behind {@code receiver} (an adapter, a filter module, a
     * binding), taking an NBL chain and up to three ints; unused ones are passed as 0.
     */
    @FunctionalInterface
    interface NblHandler<R> extends CurrentThread.DriverCall<R, NetBufferList> {}

    /** Calls a data-path handler as the code of {@code receiver}'s driver. Allocates nothing. */
    static <R extends NdisHandle> void nbl(
            R receiver, NblHandler<R> handler, NetBufferList chain, int a, int b, int c) {
        CurrentThread.callAsDriver(receiver.driverName(), handler, receiver, chain, a, b, c);
    }

    /** MiniportSendNetBufferLists(context, chain, portNumber, sendFlags). */
    static final NblHandler<MiniportAdapter> MINIPORT_SEND = (adapter, chain, portNumber, sendFlags, unused) ->
            adapter.driver().characteristics().sendNetBufferLists(adapter.context(), chain, portNumber, sendFlags);

    /** MiniportReturnNetBufferLists(context, chain, returnFlags). */
    static final NblHandler<MiniportAdapter> MINIPORT_RETURN = (adapter, chain, returnFlags, unused, unused2) ->
            adapter.driver().characteristics().returnNetBufferLists(adapter.context(), chain, returnFlags);

    /** FilterSendNetBufferLists(context, chain, portNumber, sendFlags). */
    static final NblHandler<FilterModule> FILTER_SEND = (module, chain, portNumber, sendFlags, unused) ->
            module.filterDriver().characteristics().sendNetBufferLists(module.context(), chain, portNumber, sendFlags);

    /** FilterSendNetBufferListsComplete(context, chain, sendCompleteFlags). */
    static final NblHandler<FilterModule> FILTER_SEND_COMPLETE = (module, chain, flags, unused, unused2) ->
            module.filterDriver().characteristics().sendNetBufferListsComplete(module.context(), chain, flags);

    /** FilterReceiveNetBufferLists(context, chain, portNumber, numberOfNetBufferLists, receiveFlags). */
    static final NblHandler<FilterModule> FILTER_RECEIVE =
            (module, chain, portNumber, count, receiveFlags) -> module.filterDriver()
                    .characteristics()
                    .receiveNetBufferLists(module.context(), chain, portNumber, count, receiveFlags);

    /** FilterReturnNetBufferLists(context, chain, returnFlags). */
    static final NblHandler<FilterModule> FILTER_RETURN = (module, chain, returnFlags, unused, unused2) ->
            module.filterDriver().characteristics().returnNetBufferLists(module.context(), chain, returnFlags);

    /** ProtocolReceiveNetBufferLists(context, chain, portNumber, numberOfNetBufferLists, receiveFlags). */
    static final NblHandler<Binding> PROTOCOL_RECEIVE =
            (binding, chain, portNumber, count, receiveFlags) -> binding.protocol()
                    .characteristics()
                    .receiveNetBufferLists(binding.protocolBindingContext(), chain, portNumber, count, receiveFlags);

    /** ProtocolSendNetBufferListsComplete(context, chain, sendCompleteFlags). */
    static final NblHandler<Binding> PROTOCOL_SEND_COMPLETE =
            (binding, chain, flags, unused, unused2) -> binding.protocol()
                    .characteristics()
                    .sendNetBufferListsComplete(binding.protocolBindingContext(), chain, flags);
}
