package org.jftrace.ftrace;

/**
 * One traced call on a thread's shadow stack: the JVM's {@code ftrace_ret_stack} entry, and the
 * {@link Regs} its callbacks see.
 *
 * <p>The entry site returns the frame as its token, the method keeps it in a local, and every exit
 * site hands it back. Pairing therefore needs no lookup and cannot go wrong when sites are switched
 * while the call is in flight: an exit without a token (the entry ran while the site was off) does
 * nothing, and an exit with a token always reaches the ops its entry reached. Frames are preallocated
 * per depth and reused, so a call allocates nothing.
 */
final class Frame extends Regs {

    final ThreadCtx ctx;
    /** 1-based depth on the thread's shadow stack. */
    final int depth;

    boolean active;
    int ip;
    /** What the entry called: an {@link FtraceOps} or an {@link OpsListFunc}. */
    Object binding;
    /** Which ops of the binding the entry called (bit i = list position i). */
    long calledMask;

    Object receiver;
    Object[] args;
    long retBits;
    Object retObj;
    Throwable thrown;
    /** The direct handlers the entry ran (list path), for the exit; null if none. */
    DirectTarget direct;
    /** A live patch chose to replace the body; {@link #replacement} is the boxed value. */
    boolean replaced;
    Object replacement;
    private long[] data = new long[2];

    Frame(ThreadCtx ctx, int depth) {
        this.ctx = ctx;
        this.depth = depth;
    }

    void activate(int ip, Object binding, long mask, Object receiver, Object[] args) {
        this.ip = ip;
        this.binding = binding;
        this.calledMask = mask;
        this.receiver = receiver;
        this.args = args;
        this.retBits = 0;
        this.retObj = null;
        this.thrown = null;
        this.direct = null;
        this.replaced = false;
        this.replacement = null;
        data[0] = 0;
        data[1] = 0;
        if (data.length > 2) {
            java.util.Arrays.fill(data, 0L);
        }
        this.active = true;
    }

    void deactivate() {
        active = false;
        binding = null;
        receiver = null;
        args = null;
        retObj = null;
        thrown = null;
        direct = null;
        replacement = null;
    }

    private int position(FtraceOps op) {
        Object b = binding;
        if (b == op) {
            return 0;
        }
        if (b instanceof OpsListFunc) {
            FtraceOps[] ops = ((OpsListFunc) b).ops;
            for (int i = 0; i < ops.length; i++) {
                if (ops[i] == op) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Override
    public int depth() {
        return depth;
    }

    @Override
    public int argCount() {
        return args == null ? -1 : args.length;
    }

    @Override
    public Object arg(int i) {
        if (args == null) {
            throw new IllegalStateException("arguments are only saved for ops with FL_SAVE_REGS");
        }
        return args[i];
    }

    @Override
    public Object receiver() {
        return receiver;
    }

    @Override
    public long data(FtraceOps op) {
        int p = position(op);
        return p < 0 || p >= data.length ? 0 : data[p];
    }

    @Override
    public void setData(FtraceOps op, long value) {
        int p = position(op);
        if (p < 0) {
            return;
        }
        if (p >= data.length) {
            data = java.util.Arrays.copyOf(data, Math.max(p + 1, data.length * 2)); // only for lists > 2 ops
        }
        data[p] = value;
    }

    @Override
    public long retval() {
        return retBits;
    }

    @Override
    public Object retObject() {
        return retObj;
    }

    @Override
    public Throwable thrown() {
        return thrown;
    }

    @Override
    public Object local(FtraceOps op) {
        return ctx.local(op);
    }

    @Override
    public void setLocal(FtraceOps op, Object value) {
        ctx.setLocal(op, value);
    }

    @Override
    public Thread thread() {
        return ctx.thread;
    }
}
