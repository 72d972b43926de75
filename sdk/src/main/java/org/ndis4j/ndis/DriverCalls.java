package org.ndis4j.ndis;

import java.util.function.Supplier;
import org.ndis4j.kernel.internal.ThreadContext;

/** How NDIS calls into a driver: with the driver named as the running code, for crash reports. */
final class DriverCalls {

    private DriverCalls() {}

    static <T> T call(String driver, Supplier<T> handler) {
        ThreadContext ctx = ThreadContext.current();
        String previous = ctx.enterDriver(driver);
        try {
            return handler.get();
        } finally {
            ctx.leaveDriver(previous);
        }
    }
}
