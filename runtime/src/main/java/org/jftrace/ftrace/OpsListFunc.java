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
final class OpsListFunc implements Binding {

    /** At most this many ops on one function: the per-call mask is a long. */
    static final int MAX_OPS_PER_FUNCTION = 64;

    static final OpsListFunc NOP = new OpsListFunc(new FtraceOps[0]);

    final FtraceOps[] ops;
    final boolean saveRegs;
    /**
     * The handlers of the one direct ops in {@link #ops}, or null. The list path calls them too, with
     * boxed arguments (so a list with a direct ops saves regs), as the kernel's list func calls
     * {@code call_direct_funcs}.
     */
    final DirectTarget direct;

    OpsListFunc(FtraceOps[] ops) {
        this(ops, null);
    }

    OpsListFunc(FtraceOps[] ops, DirectTarget direct) {
        this.ops = ops;
        this.direct = direct;
        boolean regs = direct != null;
        for (FtraceOps op : ops) {
            regs |= op.hasFlag(FtraceOps.FL_SAVE_REGS);
        }
        this.saveRegs = regs;
    }

    boolean sameOps(FtraceOps[] other, DirectTarget d) {
        return Arrays.equals(ops, other) && direct == d;
    }

    @Override
    public FtraceOps[] ops() {
        return ops;
    }

    @Override
    public DirectTarget direct() {
        return direct;
    }

    @Override
    public boolean savesRegs() {
        return saveRegs;
    }

    @Override
    public String opsColumn() {
        StringBuilder sb = new StringBuilder("ftrace_ops_list_func {");
        for (int i = 0; i < ops.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(ops[i].name);
        }
        return sb.append('}').toString();
    }

    @Override
    public String toString() {
        return ops.length == 0 ? "ftrace_nop_ops" : "ftrace_ops_list_func" + Arrays.toString(ops);
    }
}
