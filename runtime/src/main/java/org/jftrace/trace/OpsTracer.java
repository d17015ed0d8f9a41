package org.jftrace.trace;

import java.util.IdentityHashMap;
import java.util.Map;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;

/**
 * The part every ops-based tracer shares: one ops per started instance, registered with the
 * instance's set_ftrace_filter / set_ftrace_notrace / set_ftrace_pid. A tracer object is shared by
 * all instances (as a kernel {@code struct tracer} is), so the ops are kept per instance.
 */
abstract class OpsTracer implements Tracer {

    private final Map<TraceInstance, FtraceOps> ops = new IdentityHashMap<>();

    abstract FtraceOps newOps(TraceInstance instance);

    /** Whether {@link #newOps} chooses its callbacks by this option. */
    boolean readsOption(String option) {
        return false;
    }

    @Override
    public final synchronized void start(TraceInstance instance) {
        FtraceOps op = newOps(instance);
        Ftrace.setHashes(op, instance.filterRules(), instance.notraceRules());
        Ftrace.setPidFilter(op, instance.pidFilter());
        Ftrace.registerFtraceFunction(op);
        ops.put(instance, op);
    }

    @Override
    public final synchronized void stop(TraceInstance instance) {
        FtraceOps op = ops.remove(instance);
        if (op != null) {
            Ftrace.unregisterFtraceFunction(op);
        }
    }

    @Override
    public final synchronized void filtersChanged(TraceInstance instance) {
        FtraceOps op = ops.get(instance);
        if (op != null) {
            Ftrace.setHashes(op, instance.filterRules(), instance.notraceRules());
            Ftrace.setPidFilter(op, instance.pidFilter());
        }
    }

    /**
     * Registers the instance's ops again, made by {@link #newOps} for the options now in force. The
     * records already in the buffers stay; calls between the two registrations are not traced.
     */
    @Override
    public final synchronized void callbacksChanged(TraceInstance instance, String option) {
        if (ops.containsKey(instance) && readsOption(option)) {
            stop(instance);
            start(instance);
        }
    }

    final synchronized FtraceOps ops(TraceInstance instance) {
        return ops.get(instance);
    }
}
