package org.ndis4j.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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
            CaptureCommand.class,
            InjectCommand.class,
            RunCommand.class,
            CrashCommand.class,
            HealthCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Ndis4j implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@code main} runs it: exit statuses and error lines as {@link ExitHandling} says. */
    public static CommandLine commandLine() {
        return ExitHandling.install(new CommandLine(new Ndis4j()));
    }

    /** Without a subcommand: usage. */
    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
