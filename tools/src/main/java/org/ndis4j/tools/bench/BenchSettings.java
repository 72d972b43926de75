package org.ndis4j.tools.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What a run of {@code ndis4j bench} was asked for.
 *
 * @param runs           measured runs per subject (the table shows their median)
 * @param frames64       frames per forwarding run at 64 bytes
 * @param frames1514     frames per forwarding run at 1514 bytes
 * @param samples        samples per latency run
 * @param relaylimit     the relaylimit binary, or null when not installed
 * @param qemu           qemu-system-x86_64, or null when not installed
 * @param ndis4j         the command that runs {@code ndis4j} in a JVM of its own (the switch under test)
 * @param burst          datagrams per NdisSendNetBufferLists call in the host-to-host UDP runs
 */
public record BenchSettings(
        int runs,
        long frames64,
        long frames1514,
        int samples,
        Path relaylimit,
        Path qemu,
        List<String> ndis4j,
        int burst) {

    /**
     * Datagrams per send call unless asked otherwise: one, as an application sends them one by one
     * (more, an NBL chain per call, is what a protocol with a queue hands NDIS).
     */
    public static final int DEFAULT_BURST = 1;
    /** At most half the host benchmark's window, so a burst never waits for the whole window to drain. */
    public static final int MAX_BURST = 64;

    public long frames(int size) {
        return size <= 64 ? frames64 : frames1514;
    }
}
