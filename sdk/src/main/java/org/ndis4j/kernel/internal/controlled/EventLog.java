package org.ndis4j.kernel.internal.controlled;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HexFormat;

/**
 * The run's human-readable event log: a line per step and per event, with logical ids (K1/CPU0,
 * EV#3) and virtual time only — no thread names, wall time or identity hashes — so that the same
 * schedule gives the same log in any JVM. Every line goes into a SHA-256; the last {@link #KEPT}
 * lines are kept to be written next to a failing run's trace.
 */
final class EventLog {

    static final int KEPT = 100_000;

    private final MessageDigest sha;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final StringBuilder line = new StringBuilder(96);
    private long lines;
    private String digest;

    EventLog() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** Virtual nanoseconds as seconds with seven decimals (100-ns resolution): "0.0031000". */
    static String seconds(long nanos) {
        long units = nanos / 100;
        String frac = Long.toString(units % 10_000_000);
        return units / 10_000_000 + "." + "0".repeat(7 - frac.length()) + frac;
    }

    void step(long now, String by, String site) {
        line.setLength(0);
        line.append(seconds(now)).append(' ').append(by).append(' ').append(site);
        add();
    }

    void choice(long choiceStep, String chosen) {
        line.setLength(0);
        line.append("  choice ").append(choiceStep).append(" -> ").append(chosen);
        add();
    }

    void event(long now, String by, String what) {
        line.setLength(0);
        line.append(seconds(now)).append(' ').append(by).append(' ').append(what);
        add();
    }

    void end(String result, long steps, long now) {
        line.setLength(0);
        line.append("end ")
                .append(result)
                .append(" steps=")
                .append(steps)
                .append(" t=")
                .append(seconds(now));
        add();
        digest = HexFormat.of().formatHex(sha.digest());
    }

    private void add() {
        String s = line.toString();
        sha.update(s.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
        lines++;
        tail.addLast(s);
        if (tail.size() > KEPT) {
            tail.removeFirst();
        }
    }

    long lines() {
        return lines;
    }

    /** The hash of every line; only after {@link #end}. */
    String sha256() {
        return digest;
    }

    /** The last lines, oldest first. */
    Iterable<String> tail() {
        return tail;
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder sb = new StringBuilder();
        if (lines > tail.size()) {
            sb.append("(the first ").append(lines - tail.size()).append(" lines are not kept)\n");
        }
        for (String s : tail) {
            sb.append(s).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }
}
