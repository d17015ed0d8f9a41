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
    boolean readsOption(String option) {
        return option.equals("func-args");
    }

    @Override
    FtraceOps newOps(TraceInstance ti) {
        if (ti.options.get("func-args")) {
            // the arguments come through Regs only for an ops with FL_SAVE_REGS: without the option the
            // plain callback below runs, and the sites pass nothing
            return new FtraceOps(ti.opsName("function"), FtraceOps.FL_RECURSION | FtraceOps.FL_PID
                    | FtraceOps.FL_SAVE_REGS, (ip, parentIp, op, regs) -> {
                        if (ti.tracingOn) {
                            ArgScratch s = ArgScratch.of(ti, op, regs);
                            int n = ArgEncoder.args(regs, s.words, ti.argsStrlen);
                            s.buf.writeFunctionArgs(ti.clock.now(s.buf), (int) ip, (int) parentIp, s.words, n);
                        }
                    });
        }
        return new FtraceOps(ti.opsName("function"), FtraceOps.FL_RECURSION | FtraceOps.FL_PID,
                (ip, parentIp, op, regs) -> {
                    if (ti.tracingOn) {
                        TraceBuffer b = buffer(ti, op, regs);
                        b.writeFunction(ti.clock.now(b), (int) ip, (int) parentIp);
                    }
                });
    }

    /** A thread's buffer and the words its arguments are encoded into before they are copied to the record. */
    static final class ArgScratch {
        final TraceBuffer buf;
        final long[] words = new long[ArgEncoder.MAX_WORDS];

        private ArgScratch(TraceBuffer buf) {
            this.buf = buf;
        }

        static ArgScratch of(TraceInstance ti, FtraceOps op, Regs regs) {
            Object s = regs.local(op);
            if (s == null) {
                s = new ArgScratch(ti.buffers.current());
                regs.setLocal(op, s);
            }
            return (ArgScratch) s;
        }
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
