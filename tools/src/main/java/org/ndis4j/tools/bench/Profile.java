package org.ndis4j.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR execution-sample profile of this JVM over the measured runs of a benchmark (JFR's
 * {@code profile} settings: a sample of every running Java thread every 10 ms), summarised as the
 * methods most often on top of the stack, as shares of all samples. It says where the hosts' time
 * goes; the benchmark's own sending thread is left out, and the switch, in a JVM of its own, is not
 * in it.
 */
final class Profile {

    /** The benchmark's own thread (the sender): its samples are left out. */
    private final String excludedThread;

    /** Execution samples by top-frame method, over every recording so far. */
    private final Map<String, Integer> topFrames = new HashMap<>();

    private int samples;
    private Recording recording;

    Profile(String excludedThread) {
        this.excludedThread = excludedThread;
    }

    /** Starts recording (JFR's "profile" settings). */
    void start() throws IOException, ParseException {
        recording = new Recording(Configuration.getConfiguration("profile"));
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
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                    continue;
                }
                RecordedThread thread = e.getThread("sampledThread");
                if (thread != null && excludedThread.equals(thread.getJavaName())) {
                    continue;
                }
                List<RecordedFrame> frames = e.getStackTrace().getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                RecordedFrame top = frames.get(0);
                String method = simpleName(top.getMethod().getType().getName()) + "."
                        + top.getMethod().getName();
                topFrames.merge(method, 1, Integer::sum);
                samples++;
            }
        } finally {
            r.close();
            Files.deleteIfExists(file);
        }
    }

    /** The {@code n} hottest methods: {@code "FileDescriptor.writeAddress 12.3%"}, hottest first. */
    List<String> summary(int n) {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(topFrames.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Integer> e : entries.subList(0, Math.min(n, entries.size()))) {
            lines.add(String.format(Locale.ROOT, "%s %.1f%%", e.getKey(), 100.0 * e.getValue() / samples));
        }
        return lines;
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
