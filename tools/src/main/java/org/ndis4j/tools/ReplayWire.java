package org.ndis4j.tools;

import java.io.IOException;
import java.time.Duration;

/**
 * The sending end of a wire for {@code ndis4j inject}: a replay loses nothing, so a slow peer slows
 * the sender instead of dropping frames as a virtual NIC's wire would. Over TCP ({@link BlockingWire})
 * blocking writes do it; over a TAP ({@link TapReplayWire}) a window of frames not yet written.
 */
interface ReplayWire extends AutoCloseable {

    /** Queues one frame; it is on the wire after {@link #flush}. Blocks while the peer is slow. */
    void send(byte[] frame) throws IOException;

    /** Puts what is queued on the wire. */
    void flush() throws IOException;

    /** True once the peer is gone (the TCP peer closed, the TAP went away). */
    boolean isPeerGone();

    /** Puts everything on the wire and waits up to {@code linger} for it to get there. */
    void finish(Duration linger) throws IOException, InterruptedException;

    /** Frames the peer refused after they were sent (a TAP whose interface is down); 0 over TCP. */
    long refused();

    @Override
    void close();
}
