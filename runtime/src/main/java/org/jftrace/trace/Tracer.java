package org.jftrace.trace;

/**
 * A tracer that {@code current_tracer} can select: the JVM's {@code struct tracer}
 * ({@code .name}, {@code .init}, {@code .reset}).
 */
public interface Tracer {

    /** The name written to current_tracer. */
    String name();

    /** .init: starts tracing into the instance (registers the tracer's ops with its filters). */
    void start(TraceInstance instance);

    /** .reset: stops; once it returns no callback of this tracer runs any more. */
    void stop(TraceInstance instance);

    /** Applies changed filters of a running tracer (as one patch batch). */
    void filtersChanged(TraceInstance instance);

    /** An option that chooses the callbacks (func-args, ...) changed: a running tracer that reads it takes the new ones. */
    default void callbacksChanged(TraceInstance instance, String option) {
    }
}
