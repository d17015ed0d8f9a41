package org.jftrace.trace;

/** {@code nop}: traces nothing (trace_nop.c). */
public final class NopTracer implements Tracer {

    public static final NopTracer INSTANCE = new NopTracer();

    private NopTracer() {
    }

    @Override
    public String name() {
        return "nop";
    }

    @Override
    public void start(TraceInstance instance) {
    }

    @Override
    public void stop(TraceInstance instance) {
    }

    @Override
    public void filtersChanged(TraceInstance instance) {
    }
}
