package org.ndis4j.ndis;

import java.util.function.Supplier;
import org.ndis4j.kernel.CurrentThread;

/** How NDIS calls into a driver: with the driver named as the running code, for crash reports. */
final class DriverCalls {

    private DriverCalls() {}

    static <T> T call(String driver, Supplier<T> handler) {
        String previous = CurrentThread.enterDriver(driver);
        try {
            return handler.get();
        } finally {
            CurrentThread.leaveDriver(previous);
        }
    }
}
