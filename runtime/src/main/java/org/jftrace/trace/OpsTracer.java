package org.jftrace.trace;

import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;

/**
 * The part every ops-based tracer shares: one ops per started instance, registered with the
 * instance's set_ftrace_filter / set_ftrace_notrace / set_ftrace_pid.
 */
abstract class OpsTracer implements Tracer {

    private FtraceOps ops;

    abstract FtraceOps newOps(TraceInstance instance);

    @Override
    public final synchronized void start(TraceInstance instance) {
        FtraceOps op = newOps(instance);
        Ftrace.setHashes(op, instance.filterRules(), instance.notraceRules());
        Ftrace.setPidFilter(op, instance.pidFilter());
        Ftrace.registerFtraceFunction(op);
        ops = op;
    }

    @Override
    public final synchronized void stop(TraceInstance instance) {
        if (ops != null) {
            Ftrace.unregisterFtraceFunction(ops);
            ops = null;
        }
    }

    @Override
    public final synchronized void filtersChanged(TraceInstance instance) {
        if (ops != null) {
            Ftrace.setHashes(ops, instance.filterRules(), instance.notraceRules());
            Ftrace.setPidFilter(ops, instance.pidFilter());
        }
    }

    final synchronized FtraceOps ops() {
        return ops;
    }
}
