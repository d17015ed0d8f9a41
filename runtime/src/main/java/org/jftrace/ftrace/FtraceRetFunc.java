package org.jftrace.ftrace;

/**
 * An ops' return callback: the kernel's {@code trace_func_graph_ret_t} (fgraph_ops.retfunc).
 *
 * <p>Called when a call whose entry this ops saw returns or throws: never for a call whose entry it
 * did not see, and never after the ops' unregister returned. {@code regs} is the same frame the entry
 * callback got; it now also holds the return value or the throwable.
 */
@FunctionalInterface
public interface FtraceRetFunc {
    void retfunc(long ip, long parentIp, FtraceOps op, Regs regs);
}
