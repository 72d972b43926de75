package org.ndis4j.wire;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Settings of a {@link VirtualSwitch}.
 *
 * @param maxFrameLength   the longest Ethernet frame a port accepts (default 9018: jumbo)
 * @param ageing           how long a learned MAC address stays without being seen (default 300 s)
 * @param macTableCapacity the most addresses learned at once (default 8192)
 * @param writeLowWater    bytes queued to a port below which it counts as drained
 * @param writeHighWater   bytes queued to a port above which inputs forwarding to it pause
 *                         (unicast) or frames flooded to it are dropped; at four times this a
 *                         unicast frame is dropped too, so memory stays bounded
 * @param capture          a pcap file receiving every frame the switch forwards, or null
 * @param clock            monotonic nanoseconds for ageing; injectable so tests need not sleep
 */
public record SwitchOptions(
        int maxFrameLength,
        Duration ageing,
        int macTableCapacity,
        int writeLowWater,
        int writeHighWater,
        Path capture,
        LongSupplier clock) {

    public static final SwitchOptions DEFAULTS = new SwitchOptions(
            EthernetFrames.DEFAULT_MAX_FRAME_LENGTH,
            Duration.ofSeconds(300),
            8192,
            512 * 1024,
            2 * 1024 * 1024,
            null,
            System::nanoTime);

    public SwitchOptions {
        EthernetFrames.checkMaxFrameLength(maxFrameLength);
        if (ageing.isNegative() || ageing.isZero()) {
            throw new IllegalArgumentException("ageing time must be positive, was " + ageing);
        }
        if (writeLowWater <= 0 || writeHighWater < writeLowWater) {
            throw new IllegalArgumentException(
                    "write water marks must satisfy 0 < low (" + writeLowWater + ") <= high (" + writeHighWater + ")");
        }
        if (clock == null) {
            throw new IllegalArgumentException("clock must not be null");
        }
    }

    public SwitchOptions withMaxFrameLength(int value) {
        return new SwitchOptions(value, ageing, macTableCapacity, writeLowWater, writeHighWater, capture, clock);
    }

    public SwitchOptions withAgeing(Duration value) {
        return new SwitchOptions(
                maxFrameLength, value, macTableCapacity, writeLowWater, writeHighWater, capture, clock);
    }

    public SwitchOptions withMacTableCapacity(int value) {
        return new SwitchOptions(maxFrameLength, ageing, value, writeLowWater, writeHighWater, capture, clock);
    }

    public SwitchOptions withWriteWaterMarks(int low, int high) {
        return new SwitchOptions(maxFrameLength, ageing, macTableCapacity, low, high, capture, clock);
    }

    public SwitchOptions withCapture(Path value) {
        return new SwitchOptions(maxFrameLength, ageing, macTableCapacity, writeLowWater, writeHighWater, value, clock);
    }

    public SwitchOptions withClock(LongSupplier value) {
        return new SwitchOptions(
                maxFrameLength, ageing, macTableCapacity, writeLowWater, writeHighWater, capture, value);
    }
}
