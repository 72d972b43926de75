package org.ndis4j.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * A listening socket could not be opened; the message names the address and the operating system's
 * reason: {@code cannot listen on 127.0.0.1:5555: Address already in use}.
 */
public final class CannotListenException extends UncheckedIOException {

    private final transient InetSocketAddress address;
    private final String reason;

    public CannotListenException(String what, InetSocketAddress address, Throwable cause) {
        super(
                "cannot listen" + (what.isEmpty() ? "" : " for " + what) + " on " + Transports.format(address) + ": "
                        + IoErrors.reason(cause),
                cause instanceof IOException io ? io : new IOException(cause));
        this.address = address;
        this.reason = IoErrors.reason(cause);
    }

    public InetSocketAddress address() {
        return address;
    }

    /** The operating system's reason, e.g. {@code Address already in use}. */
    public String reason() {
        return reason;
    }
}
