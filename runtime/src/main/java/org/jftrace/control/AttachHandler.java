package org.jftrace.control;

/**
 * What the agent adds to the control server: {@code jftrace attach} sessions (the agent owns the
 * instrumentation, which the runtime cannot reach). Set with {@link ControlServer#setAttachHandler}.
 */
public interface AttachHandler {

    /**
     * Instruments what the options select and starts tracing with them.
     *
     * @param options the agent's options, as after {@code -javaagent:jftrace.jar=}
     * @return the session, to be detached when the client is done or gone
     * @throws IllegalArgumentException with a one-line message if an option is bad; nothing changed
     */
    Session attach(String options);

    /** The agent's instrumentation report (classes instrumented, classes left unchanged and why). */
    String report();

    /** One attach: its summary for the client, and the way back. */
    interface Session {

        /** One or more lines for the user: what was instrumented and how long it took. */
        String summary();

        /** Stops the session's tracing and restores the settings it changed. Idempotent. */
        void detach();
    }
}
