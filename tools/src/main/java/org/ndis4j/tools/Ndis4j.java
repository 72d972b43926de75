package org.ndis4j.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;

/**
 * The {@code ndis4j} command. Each subcommand is a class of its own; adding one is adding its
 * class to {@code subcommands} below.
 */
@Command(
        name = "ndis4j",
        mixinStandardHelpOptions = true,
        version = "ndis4j 0.1.0",
        description = "Tools of the ndis4j miniport driver development kit.",
        subcommands = {
            SwitchCommand.class,
            BenchCommand.class,
            DemoCommand.class,
            PingCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Ndis4j implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line as {@code main} runs it: an unexpected failure is one line (exit status 1),
     * with its stack trace only under {@code -v}.
     */
    public static CommandLine commandLine() {
        return new CommandLine(new Ndis4j()).setExecutionExceptionHandler(Ndis4j::unexpected);
    }

    private static int unexpected(Exception e, CommandLine command, ParseResult parsed) {
        ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + e);
        if (leaf.hasMatchedOption("--verbose")) {
            e.printStackTrace(command.getErr());
        }
        command.getErr().flush();
        return 1;
    }

    /** Without a subcommand: usage. */
    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
