package org.ndis4j.tools;

import java.io.PrintWriter;
import org.ndis4j.wire.CannotListenException;
import org.ndis4j.wire.TapException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How every command ends when it does not return an {@link ExitCode} itself: a usage error is one
 * line and status 2; a {@link CommandFailedException} is its line and its status; a wire that cannot
 * be opened (an address in use, a TAP refused) is its line and status 1; anything else is
 * one line and status 1. A stack trace follows only with {@code -v}. Installed once on the whole
 * command tree, which also gets the exit-status table in each command's {@code --help}.
 */
final class ExitHandling {

    private ExitHandling() {}

    static CommandLine install(CommandLine commandLine) {
        commandLine
                .setExecutionExceptionHandler(ExitHandling::failed)
                .setParameterExceptionHandler(ExitHandling::usage);
        addHelpSection(commandLine);
        return commandLine;
    }

    private static void addHelpSection(CommandLine commandLine) {
        commandLine
                .getCommandSpec()
                .usageMessage()
                .exitCodeListHeading("%nExit status:%n")
                .exitCodeList(ExitCode.helpSection());
        commandLine.getSubcommands().values().forEach(ExitHandling::addHelpSection);
    }

    private static int usage(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        String message = e.getMessage().endsWith(".")
                ? e.getMessage().substring(0, e.getMessage().length() - 1)
                : e.getMessage();
        err.println(name + ": " + message + " (see " + name + " --help)");
        if (verbose(command.getParseResult())) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCode.USAGE.code();
    }

    private static int failed(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        CommandSpec spec = command.getCommandSpec();
        if (e instanceof CommandFailedException failure) {
            err.println(spec.qualifiedName() + ": " + failure.getMessage());
            if (verbose(parsed)) {
                (failure.getCause() != null ? failure.getCause() : failure).printStackTrace(err);
            }
            err.flush();
            return failure.exitCode().code();
        }
        if (e instanceof CannotListenException || e instanceof TapException) { // a wire that cannot be opened
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            if (verbose(parsed)) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCode.FAILURE.code();
        }
        err.println(spec.qualifiedName() + ": " + e);
        if (verbose(parsed)) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCode.FAILURE.code();
    }

    /** True when {@code -v} was given to the command that ran. */
    private static boolean verbose(ParseResult parsed) {
        if (parsed == null) {
            return false;
        }
        ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        return leaf.hasMatchedOption("--verbose");
    }
}
