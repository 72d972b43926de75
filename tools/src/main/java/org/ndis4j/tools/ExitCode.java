package org.ndis4j.tools;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit status of every {@code ndis4j} command: one table, documented in docs/cli.md and in each
 * command's {@code --help}.
 */
public enum ExitCode {
    /** Done as asked; for a command that runs until stopped, a clean halt after SIGINT or SIGTERM. */
    SUCCESS(0, "success (for a command that runs until stopped: a clean halt after SIGINT/SIGTERM)"),
    /** Something outside the command failed: an address in use, a peer gone, an I/O error. */
    FAILURE(1, "operational failure: address in use, peer gone, I/O error"),
    /** The command line or a configuration or input file is wrong; nothing was started. */
    USAGE(2, "usage or configuration error (a bad option, file or value); nothing was started"),
    /** A simulated machine bug-checked; its crash report was written. */
    BUG_CHECK(3, "bug check (the crash report was written)"),
    /** The run ended cleanly but leaked objects were found at exit. */
    LEAKS(4, "leaks found at exit");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** The table as picocli's help shows it: status to meaning. */
    static Map<String, String> helpSection() {
        Map<String, String> m = new LinkedHashMap<>();
        for (ExitCode c : values()) {
            m.put(Integer.toString(c.code), c.meaning);
        }
        return m;
    }
}
