package org.ndis4j.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ndis4j.tools.crash.CrashAnalysis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ndis4j crash FILE}: explains a crash report that {@code ndis4j run} wrote, as WinDbg's
 * {@code !analyze -v} explains a dump. Exit status 0 when explained, 1 when the file cannot be read,
 * 2 when it is not a crash report.
 */
@Command(
        name = "crash",
        mixinStandardHelpOptions = true,
        description = {
            "Explains a crash report (the JSON ndis4j run writes into its crash directory) in the spirit of",
            "WinDbg's !analyze -v: the bug check and what it means, each parameter, the rule broken and its",
            "description, driver, IRQL, processor, thread, the stack with the driver's frames first, and",
            "where the objects the report is about were allocated.",
            "Exit status: 0 explained, 1 the file cannot be read, 2 not a crash report."
        })
final class CrashCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The crash report (JSON).")
    Path file;

    @Override
    public Integer call() {
        CrashAnalysis analysis;
        try {
            analysis = CrashAnalysis.read(file);
        } catch (IOException e) {
            System.err.println("ndis4j crash: cannot read " + file + ": " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            System.err.println("ndis4j crash: " + file + ": " + e.getMessage());
            return 2;
        }
        System.out.print(analysis.explain());
        System.out.flush();
        return 0;
    }
}
