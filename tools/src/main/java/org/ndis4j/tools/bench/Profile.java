package org.ndis4j.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR execution-sample profile of this JVM over the measured runs of a benchmark, summarised three
 * ways, each as shares of all samples: the methods most often on top of the stack; the innermost
 * ndis4j method on each stack (so a Netty bounds check counts against the ndis4j code that made it);
 * and the threads. Every thread is in it, the benchmark's sending thread too: it is the thread that
 * runs a host's send path (ipstack, NDIS, vmini, the NIC's transmit), as an application's thread
 * would. The switch, in a JVM of its own, is not in it.
 *
 * <p>Samples are taken every {@link #PERIOD} and only from threads that run Java code then (JFR's
 * "profile" settings take one every 10 ms, which left about twenty samples in a short run, too few
 * to act on); nothing but execution samples is recorded, so the profile costs the run little.
 */
final class Profile {

    /** JFR's execution sampler at its finest period. */
    static final Duration PERIOD = Duration.ofMillis(1);

    private static final String NDIS4J = "org.ndis4j.";
    private static final String BENCH = "org.ndis4j.tools.bench.";

    /** The benchmark's own thread, named as such in the thread shares. */
    private final String senderThread;

    private final Map<String, Integer> topFrames = new HashMap<>();
    private final Map<String, Integer> ndis4jFrames = new HashMap<>();
    private final Map<String, Integer> threads = new HashMap<>();

    private int samples;
    private Recording recording;

    Profile(String senderThread) {
        this.senderThread = senderThread;
    }

    /**
     * Starts and stops a recording that nobody reads, before the warm-up: on JDK 17 the first
     * recording of a JVM throws away much of its compiled code (about 3,000 methods made not entrant
     * at once, seen with {@code -XX:+PrintCompilation}), so the first measured run after it was spent
     * recompiling. Later recordings do not.
     */
    static void prime() {
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(PERIOD);
            r.start();
            r.stop();
        }
    }

    /** Starts recording execution samples. */
    void start() {
        recording = new Recording();
        recording.enable("jdk.ExecutionSample").withPeriod(PERIOD);
        recording.start();
    }

    /** Stops recording and adds its execution samples to the summary. */
    void stop() throws IOException {
        Recording r = recording;
        recording = null;
        r.stop();
        Path file = Files.createTempFile("ndis4j-bench", ".jfr");
        try {
            r.dump(file);
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (e.getEventType().getName().equals("jdk.ExecutionSample") && e.getStackTrace() != null) {
                    add(e.getThread("sampledThread"), e.getStackTrace().getFrames());
                }
            }
        } finally {
            r.close();
            Files.deleteIfExists(file);
        }
    }

    private void add(RecordedThread thread, List<RecordedFrame> frames) {
        if (frames.isEmpty()) {
            return;
        }
        samples++;
        topFrames.merge(method(frames.get(0)), 1, Integer::sum);
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith(NDIS4J) && !type.startsWith(BENCH)) {
                ndis4jFrames.merge(method(f), 1, Integer::sum);
                break;
            }
        }
        threads.merge(threadGroup(thread), 1, Integer::sum);
    }

    /** Execution samples so far. */
    int samples() {
        return samples;
    }

    /** The {@code n} hottest top-of-stack methods: {@code "FileDescriptor.writeAddress 12.3%"}, hottest first. */
    List<String> topFrames(int n) {
        return shares(topFrames, n);
    }

    /** The {@code n} ndis4j methods whose calls took most samples (the innermost ndis4j frame of each). */
    List<String> ndis4jFrames(int n) {
        return shares(ndis4jFrames, n);
    }

    /** The {@code n} busiest threads, numbers left out of their names ({@code "bench-b#-cpu# 14.0%"}). */
    List<String> threads(int n) {
        return shares(threads, n);
    }

    private List<String> shares(Map<String, Integer> counts, int n) {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Integer> e : entries.subList(0, Math.min(n, entries.size()))) {
            lines.add(String.format(Locale.ROOT, "%s %.1f%%", e.getKey(), 100.0 * e.getValue() / samples));
        }
        return lines;
    }

    private String threadGroup(RecordedThread thread) {
        String name = thread == null ? null : thread.getJavaName();
        if (name == null) {
            return "?";
        }
        return name.equals(senderThread) ? "sender" : name.replaceAll("[0-9]+", "#");
    }

    private static String method(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "."
                + frame.getMethod().getName();
    }
}
