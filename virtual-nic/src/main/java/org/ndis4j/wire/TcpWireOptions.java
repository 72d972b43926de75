package org.ndis4j.wire;

import java.time.Duration;

/**
 * Settings of a {@link TcpWirePort}.
 *
 * @param maxFrameLength   the longest Ethernet frame accepted either way (default 9018: jumbo)
 * @param reconnectInitial the first reconnect delay of a client port after its connection is lost
 * @param reconnectMax     the cap of the doubling reconnect delay
 * @param writeLowWater    bytes queued below which a slow peer counts as drained again
 * @param writeHighWater   bytes queued above which {@code send} drops (bounded memory per port)
 */
public record TcpWireOptions(
        int maxFrameLength, Duration reconnectInitial, Duration reconnectMax, int writeLowWater, int writeHighWater) {

    public static final TcpWireOptions DEFAULTS = new TcpWireOptions(
            EthernetFrames.DEFAULT_MAX_FRAME_LENGTH,
            Duration.ofMillis(50),
            Duration.ofSeconds(5),
            256 * 1024,
            1024 * 1024);

    public TcpWireOptions {
        EthernetFrames.checkMaxFrameLength(maxFrameLength);
        if (reconnectInitial.isNegative()
                || reconnectInitial.isZero()
                || reconnectMax.compareTo(reconnectInitial) < 0) {
            throw new IllegalArgumentException("reconnect delays must satisfy 0 < initial (" + reconnectInitial
                    + ") <= max (" + reconnectMax + ")");
        }
        if (writeLowWater <= 0 || writeHighWater < writeLowWater) {
            throw new IllegalArgumentException(
                    "write water marks must satisfy 0 < low (" + writeLowWater + ") <= high (" + writeHighWater + ")");
        }
    }

    public TcpWireOptions withMaxFrameLength(int value) {
        return new TcpWireOptions(value, reconnectInitial, reconnectMax, writeLowWater, writeHighWater);
    }

    public TcpWireOptions withReconnect(Duration initial, Duration max) {
        return new TcpWireOptions(maxFrameLength, initial, max, writeLowWater, writeHighWater);
    }

    public TcpWireOptions withWriteWaterMarks(int low, int high) {
        return new TcpWireOptions(maxFrameLength, reconnectInitial, reconnectMax, low, high);
    }

    /** The delay before reconnect attempt {@code attempt} (0-based): doubling, capped. */
    Duration reconnectDelay(int attempt) {
        Duration d = reconnectInitial.multipliedBy(1L << Math.min(attempt, 30));
        return d.compareTo(reconnectMax) > 0 ? reconnectMax : d;
    }
}
