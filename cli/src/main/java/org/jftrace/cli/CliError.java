package org.jftrace.cli;

/**
 * A failure the user can act on: one sentence, printed as {@code jftrace: MESSAGE} on stderr, and
 * the exit code. Never a stack trace.
 */
final class CliError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int exitCode;

    CliError(String message) {
        this(message, 1);
    }

    CliError(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }
}
