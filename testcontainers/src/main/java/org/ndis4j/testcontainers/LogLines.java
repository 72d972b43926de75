package org.ndis4j.testcontainers;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the ndis4j commands print at start, read back from a container's log. */
final class LogLines {

    /** {@code ndis4j switch listening on 127.0.0.1:34345 (Ctrl-C stops)}. */
    static final Pattern SWITCH_LISTENING = Pattern.compile("ndis4j switch listening on (\\S+):(\\d+)");

    /** {@code   control endpoint http://127.0.0.1:5557/}, printed by the switch and by run. */
    static final Pattern CONTROL_ENDPOINT = Pattern.compile("control endpoint (http://\\S+/)");

    /** A Testcontainers log-wait regex for a whole line containing the control endpoint's line. */
    static final String CONTROL_ENDPOINT_LINE = ".*control endpoint http://.*\\n";

    private LogLines() {}

    /** The first match of {@code pattern} in {@code log}; fails naming what was missing. */
    static Matcher find(String log, Pattern pattern, String what) {
        Matcher m = pattern.matcher(log);
        if (!m.find()) {
            throw new IllegalStateException("the container's log has no " + what + " line (" + pattern + "):\n" + log);
        }
        return m;
    }
}
