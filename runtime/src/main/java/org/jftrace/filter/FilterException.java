package org.jftrace.filter;

/**
 * A filter text the user wrote could not be accepted: the JVM's counterpart of the {@code -EINVAL} a
 * write to the kernel's {@code set_ftrace_filter} / {@code set_ftrace_notrace} returns.
 *
 * <p>Unlike the kernel's bare error number, the exception carries a one-line, user-facing message
 * that names the offending token (e.g. {@code unknown command 'traceonn' in 'foo:traceonn'} or
 * {@code index 12345 out of range (1..812)}), and the token itself in {@link #token()}.
 */
public final class FilterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String token;

    /**
     * @param message one line, naming the token
     * @param token   the offending token (or part of a token) as the user wrote it
     */
    public FilterException(String message, String token) {
        super(oneLine(message));
        this.token = token;
    }

    /** @return the token (or the part of it) that was rejected, as written. */
    public String token() {
        return token;
    }

    /**
     * @param file the control file being written, e.g. {@code set_ftrace_filter}
     * @return an exception with the same token whose message is prefixed with {@code file + ": "}
     */
    public FilterException in(String file) {
        FilterException e = new FilterException(file + ": " + getMessage(), token);
        e.setStackTrace(getStackTrace());
        return e;
    }

    private static String oneLine(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
