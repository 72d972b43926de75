package org.ndis4j.tools;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code -v}: every connection logged at DEBUG, and stack traces with errors. Without it an error is
 * one line that names what failed and the operating system's reason.
 */
final class Verbosity {

    @Option(
            names = {"-v", "--verbose"},
            description = "Log every connection (DEBUG) and print stack traces with errors.")
    boolean verbose;

    /** Call first, before the classes that log are loaded: slf4j-simple reads levels as loggers are made. */
    void apply() {
        if (verbose) {
            System.setProperty("org.slf4j.simpleLogger.log.org.ndis4j", "debug");
        }
    }

    /** For commands whose output is their own lines: the wire's connection log only with -v. */
    void applyQuiet() {
        if (!verbose) {
            System.setProperty("org.slf4j.simpleLogger.log.org.ndis4j", "warn");
        }
        apply();
    }

    /** Prints {@code command: message hint} (and the stack trace with -v); returns {@link ExitCode#FAILURE}. */
    int fail(PrintStream err, String command, Exception e, String hint) {
        err.println(command + ": " + e.getMessage() + hint);
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCode.FAILURE.code();
    }

    /** {@code 10 s}, {@code 0.5 s}. */
    static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + " s";
    }
}
