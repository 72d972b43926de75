package org.ndis4j.wire;

import io.netty.util.LeakPresenceDetector;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test when a ByteBuf is still unreleased after it (the test's own {@code @AfterEach}
 * has closed its switch, ports and event loops by then). Needs the surefire/failsafe argLine
 * {@code -Dio.netty.customResourceLeakDetector=io.netty.util.LeakPresenceDetector}.
 */
public final class LeakCheck implements AfterEachCallback {

    @Override
    public void afterEach(ExtensionContext context) {
        LeakPresenceDetector.check();
    }
}
