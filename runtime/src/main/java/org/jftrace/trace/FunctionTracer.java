package org.jftrace.trace;

import org.jftrace.ftrace.FtraceOps;
import org.jftrace.ftrace.Regs;
import org.jftrace.ring.TraceBuffer;
import org.jftrace.ring.TraceClock;

/**
 * {@code function}: one record per traced call, the function and its nearest traced caller
 * (trace_functions.c, {@code function_trace_call}). No exit callback, so no per-call state.
 */
public final class FunctionTracer extends OpsTracer {

    @Override
    public String name() {
        return "function";
    }

    @Override
    FtraceOps newOps(TraceInstance ti) {
        return new FtraceOps(ti.opsName("function"), FtraceOps.FL_RECURSION | FtraceOps.FL_PID,
                (ip, parentIp, op, regs) -> {
                    if (ti.tracingOn) {
                        TraceBuffer b = buffer(ti, op, regs);
                        b.writeFunction(ti.clock.now(b), (int) ip, (int) parentIp);
                    }
                });
    }

    static TraceBuffer buffer(TraceInstance ti, FtraceOps op, Regs regs) {
        Object b = regs.local(op);
        if (b == null) {
            b = ti.buffers.current();
            regs.setLocal(op, b);
        }
        return (TraceBuffer) b;
    }
}
