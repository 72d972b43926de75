package org.ndis4j.tools.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ndis4j.verifier.Rule;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A crash report read back from its JSON ({@code CrashReport.toJson}) and explained as WinDbg's
 * {@code !analyze -v} would: the stop code and what it means, each parameter for that code, the
 * rule and its description, driver, IRQL, processor, thread, the stack with the driver's frames
 * first, and where the objects the report is about were allocated.
 */
public final class CrashAnalysis {

    /** A crash report is small; larger files are not one. */
    static final long MAX_BYTES = 16L << 20;

    /** Frames of ndis4j's own machinery and of the JDK: every other frame is the driver's. */
    private static final List<String> SYSTEM_PREFIXES = List.of(
            "org.ndis4j.kernel.",
            "org.ndis4j.ndis.",
            "org.ndis4j.verifier.",
            "org.ndis4j.host.",
            "org.ndis4j.hw.",
            "org.ndis4j.registry.",
            "org.ndis4j.nic.",
            "org.ndis4j.wire.",
            "org.ndis4j.tools.",
            "java.",
            "javax.",
            "jdk.",
            "sun.",
            "io.netty.");

    private final JsonNode report;

    private CrashAnalysis(JsonNode report) {
        this.report = report;
    }

    /**
     * Reads {@code file}. IOException when it cannot be read; IllegalArgumentException, naming what
     * is missing, when it is not a crash report.
     */
    public static CrashAnalysis read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new IllegalArgumentException("larger than " + MAX_BYTES + " bytes: not a crash report");
        }
        JsonNode node;
        try {
            node = JsonMapper.builder().build().readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "not JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        for (String field : List.of("bugCheck", "code", "parameters", "message", "irql", "thread", "stack")) {
            if (node == null || !node.has(field)) {
                throw new IllegalArgumentException("not a crash report: no \"" + field + "\"");
            }
        }
        if (!node.get("parameters").isArray() || node.get("parameters").size() != 4) {
            throw new IllegalArgumentException("not a crash report: \"parameters\" is not four values");
        }
        return new CrashAnalysis(node);
    }

    /** The explanation, as text. */
    public String explain() {
        StringBuilder b = new StringBuilder();
        String stars = "*".repeat(79);
        b.append(stars).append('\n');
        b.append("*").append(center("Bugcheck Analysis (ndis4j crash)", 77)).append("*\n");
        b.append(stars).append("\n\n");
        int code = (int) Long.parseLong(text("code").substring(2), 16);
        BugCheckParameters.Explanation explanation = BugCheckParameters.of(code);
        b.append(text("bugCheck"))
                .append(" (")
                .append(Integer.toHexString(code))
                .append(")\n");
        b.append(explanation.meaning()).append('\n');
        b.append("Arguments:\n");
        Rule rule = rule();
        for (int i = 0; i < 4; i++) {
            String value = report.get("parameters").get(i).stringValue();
            b.append("Arg")
                    .append(i + 1)
                    .append(": ")
                    .append(value)
                    .append(", ")
                    .append(explanation.parameters().get(i));
            if (i == 0 && code == 0xC4 && rule != null) {
                b.append(": ").append(rule.name());
            }
            b.append('\n');
        }
        b.append('\n');
        if (!report.path("rule").isNull() && report.has("rule")) {
            b.append(row(
                    "RULE",
                    text("rule")
                            + (rule == null
                                    ? ""
                                    : rule.origin() == Rule.Origin.SDV
                                            ? " (Static Driver Verifier's rule)"
                                            : " (ndis4j's rule)")));
            if (rule != null) {
                b.append(row("DESCRIPTION", rule.description()));
            }
        }
        b.append(row("WHAT", text("message")));
        b.append(row("DRIVER", report.path("driver").isNull() ? "(none)" : text("driver")));
        b.append(row(
                "IRQL",
                text("irql")
                        + (report.has("irqlLevel")
                                ? " (" + report.get("irqlLevel").asInt() + ")"
                                : "")));
        int processor = report.path("processor").asInt(-1);
        b.append(row(
                "PROCESSOR",
                processor < 0 ? "(not a processor: a worker or host thread)" : Integer.toString(processor)));
        b.append(row("THREAD", text("thread")));
        if (report.has("time")) {
            b.append(row("TIME", text("time")));
        }
        b.append('\n');
        List<String> driverFrames = new ArrayList<>();
        List<String> systemFrames = new ArrayList<>();
        for (JsonNode frame : report.get("stack")) {
            String f = frame.stringValue();
            (isDriverFrame(f) ? driverFrames : systemFrames).add(f);
        }
        b.append("STACK_TEXT (the driver's frames first, then NDIS, the kernel and the JVM):\n");
        if (driverFrames.isEmpty()) {
            b.append("  (no frame of the driver: the check ran in NDIS or the kernel on its behalf)\n");
        }
        driverFrames.forEach(f -> b.append("  driver  ").append(f).append('\n'));
        systemFrames.forEach(f -> b.append("  system  ").append(f).append('\n'));
        JsonNode allocations = report.path("allocations");
        if (allocations.isArray() && !allocations.isEmpty()) {
            b.append("\nALLOCATED (where the objects this report is about were made):\n");
            for (JsonNode site : allocations) {
                b.append("  ").append(site.path("object").asString()).append('\n');
                for (JsonNode frame : site.path("stack")) {
                    b.append("      at ").append(frame.stringValue()).append('\n');
                }
            }
        } else if (rule != null && rule.name().contains("Leak")) {
            b.append("\nALLOCATED: not recorded (run with \"verifier\": \"full\" in the kernel section to record where"
                    + " each object was made)\n");
        }
        return b.toString();
    }

    private Rule rule() {
        JsonNode name = report.path("rule");
        if (!name.isString()) {
            return null;
        }
        try {
            return Rule.valueOf(name.stringValue());
        } catch (IllegalArgumentException unknown) {
            return null; // a rule of another ndis4j version
        }
    }

    /** A frame of the driver: not ndis4j's machinery, not the JDK, not Netty. */
    static boolean isDriverFrame(String frame) {
        String f = frame;
        int paren = f.indexOf('(');
        int slash = f.lastIndexOf('/', paren < 0 ? f.length() : paren);
        if (slash >= 0) {
            f = f.substring(slash + 1); // "app//org.x.Y.m(...)", "ndis4j-drivers//com.x.Y.m(...)"
        }
        for (String prefix : SYSTEM_PREFIXES) {
            if (f.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    private String text(String field) {
        JsonNode n = report.path(field);
        return n.isString() ? n.stringValue() : n.toString();
    }

    private static String row(String label, String value) {
        return String.format("%-13s %s%n", label + ":", value);
    }

    private static String center(String text, int width) {
        int left = (width - text.length()) / 2;
        return " ".repeat(left) + text + " ".repeat(width - left - text.length());
    }
}
