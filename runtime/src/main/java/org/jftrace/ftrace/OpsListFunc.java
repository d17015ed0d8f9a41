package org.jftrace.ftrace;

import java.util.Arrays;

/**
 * The JVM's {@code ftrace_ops_list_func}: what a site calls when two or more ops trace its function.
 *
 * <p>Unlike the kernel's list func, which walks every registered ops and tests each one's hashes on
 * every call, the list is computed per function when filters change (under {@link Ftrace}'s lock),
 * so a call walks only the ops that trace this function. The empty list is the nop binding
 * ({@code ftrace_nop_ops}). Immutable.
 */
final class OpsListFunc {

    /** At most this many ops on one function: the per-call mask is a long. */
    static final int MAX_OPS_PER_FUNCTION = 64;

    static final OpsListFunc NOP = new OpsListFunc(new FtraceOps[0]);

    final FtraceOps[] ops;
    final boolean saveRegs;

    OpsListFunc(FtraceOps[] ops) {
        this.ops = ops;
        boolean regs = false;
        for (FtraceOps op : ops) {
            regs |= op.hasFlag(FtraceOps.FL_SAVE_REGS);
        }
        this.saveRegs = regs;
    }

    boolean sameOps(FtraceOps[] other) {
        return Arrays.equals(ops, other);
    }

    @Override
    public String toString() {
        return ops.length == 0 ? "ftrace_nop_ops" : "ftrace_ops_list_func" + Arrays.toString(ops);
    }
}
