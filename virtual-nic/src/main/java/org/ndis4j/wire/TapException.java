package org.ndis4j.wire;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A TAP device could not be opened or failed; the message is one line that names the interface and
 * the operating system's reason: {@code cannot open TAP ndt0: TUNSETIFF: Operation not permitted ...}.
 */
public final class TapException extends UncheckedIOException {

    private final String interfaceName;

    public TapException(String interfaceName, String reason) {
        super("cannot open TAP " + interfaceName + ": " + reason, new IOException(reason));
        this.interfaceName = interfaceName;
    }

    /** The interface the failure is about. */
    public String interfaceName() {
        return interfaceName;
    }
}
