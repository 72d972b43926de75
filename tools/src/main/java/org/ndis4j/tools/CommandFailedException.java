package org.ndis4j.tools;

/**
 * Ends a command with an {@link ExitCode} and one line saying why. {@link ExitHandling} prints
 * {@code ndis4j COMMAND: message}, the stack trace of the cause only with {@code -v}.
 */
public final class CommandFailedException extends RuntimeException {

    private final ExitCode exitCode;

    public CommandFailedException(ExitCode exitCode, String message) {
        this(exitCode, message, null);
    }

    public CommandFailedException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
