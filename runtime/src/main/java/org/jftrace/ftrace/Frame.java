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

    /** For {@link ThreadCtx#forget}, the only writer of {@link #binding} besides the owner thread. */
    static final java.lang.invoke.VarHandle BINDING;

    static {
        try {
            BINDING = java.lang.invoke.MethodHandles.lookup().findVarHandle(Frame.class, "binding", Binding.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ThreadCtx ctx;
    /** 1-based depth on the thread's shadow stack. */
    final int depth;

    /** What a frame's {@link #state} is while no call holds it. */
    static final byte IDLE = 0;
    /** The exit an active call takes: the full exit; the pop alone; its one ops' return callback. */
    static final byte EXIT_FULL = 1;
    static final byte EXIT_POP = 2;
    static final byte EXIT_ONE = 3;

    /**
     * {@link #IDLE}, or the exit this active call takes ({@link #EXIT_POP}: one ops with no return
     * callback, the function tracer; {@link #EXIT_ONE}: one ops with one; else {@link #EXIT_FULL}): the
     * first two are small enough for C2 to inline into the exit site ({@link Exits#exitV} and co.).
     * One field for both, so that an exit reads one byte to know whether and how to run.
     */
    byte state;
    int ip;
    /**
     * What the entry called: an {@link FtraceOps} or an {@link OpsListFunc}. A CALL_OPS exit leaves its
     * ops here and the next activation stores only a different one: a reference store is a G1 write
     * barrier per call. {@link ThreadCtx#forget} drops an ops from idle frames when it is unregistered.
     */
    Binding binding;
    /** Which ops of the binding the entry called (bit i = list position i); set by the full activation only. */
    long calledMask;
    /** Per-ops call data of the first two ops ({@link #setData}); more only for longer lists. */
    private long data0;
    private long data1;

    /**
     * Some field below was set since the last activation: only then does activation clear them, so
     * that a CALL_OPS entry (which sets none of them) stores only the fields above that it uses.
     */
    private boolean dirty;
    long retBits;
    Object retObj;
    Throwable thrown;
    /** The direct handlers the entry ran (list path), for the exit; null if none. */
    DirectTarget direct;
    /** A live patch chose to replace the body; {@link #replacement} is the boxed value. */
    boolean replaced;
    Object replacement;
    private long[] moreData;

    // Saved arguments (FL_SAVE_REGS): the entry site stores its receiver and arguments here, typed,
    // before the call is activated (see SavedArgs). Per frame, so that they live until the call's
    // exit, and a traced call a callback makes (a deeper frame) cannot overwrite them. Slot i holds
    // the site's parameter i: a primitive's raw bits in argBits, a reference in argRefs.

    /** Whether this call's arguments are saved: {@link #NOT_SAVED}, {@link #SAVED}, or {@link #SAVED_RECEIVER} in slot 0. */
    private byte argShape;
    private static final byte NOT_SAVED = 0;
    private static final byte SAVED = 1;
    private static final byte SAVED_RECEIVER = 2;
    /**
     * The site's parameter kinds ({@link SavedArgs#kinds}) while {@link #argShape} says saved; kept
     * after the call (a constant array per site type), so that the next call of a site of the same
     * type stores nothing here.
     */
    private char[] argKinds = NO_KINDS;
    long[] argBits = NO_BITS;
    Object[] argRefs = NO_REFS;
    /** Here, not in SavedArgs: a frame must not initialise SavedArgs' method handles. */
    static final char[] NO_KINDS = new char[0];
    private static final long[] NO_BITS = new long[0];
    private static final Object[] NO_REFS = new Object[0];

    Frame(ThreadCtx ctx, int depth) {
        this.ctx = ctx;
        this.depth = depth;
    }

    /** A CALL_OPS activation: its one ops is the binding, so there is no mask to store. */
    void activate(int ip, Binding binding, byte exitKind) {
        if (dirty) {
            clearExtras();
        }
        this.ip = ip;
        if (this.binding != binding) { // see binding
            this.binding = binding;
        }
        this.data0 = 0;
        this.data1 = 0;
        this.state = exitKind;
    }

    /**
     * The activation of the list path and of ops with saved arguments (FL_SAVE_REGS).
     *
     * @param kinds    the site's parameter kinds if its arguments were stored in this frame's slots, else null
     * @param receiver slot 0 holds the receiver
     */
    void activate(int ip, Binding binding, long mask, char[] kinds, boolean receiver) {
        activate(ip, binding, EXIT_FULL);
        this.calledMask = mask;
        if (kinds != null) {
            if (argKinds != kinds) {
                argKinds = kinds;
            }
            argShape = receiver && kinds.length > 0 ? SAVED_RECEIVER : SAVED; // a bare entry passes no receiver
        }
    }

    /** Makes room for {@code n} saved slots: grows once per new arity at this depth. */
    void ensureArgs(int n) {
        if (argRefs.length < n) {
            int c = Math.max(n, SavedArgs.SLOTS);
            argBits = new long[c];
            argRefs = new Object[c];
        }
    }

    /** Drops the references of the first {@code n} slots and the saved state: a reused frame keeps nothing alive. */
    void dropArgs(int n) {
        Object[] refs = argRefs;
        for (int j = 0; j < n; j++) { // a loop, not Arrays.fill: no JDK method on the trampoline's path
            refs[j] = null;
        }
        argShape = NOT_SAVED;
    }

    /** @return the saved receiver and arguments, boxed, as a direct call's boxed invoker takes them. Allocates. */
    Object[] boxedAll() {
        char[] k = argKinds;
        Object[] all = new Object[argShape == NOT_SAVED ? 0 : k.length];
        for (int j = 0; j < all.length; j++) {
            all[j] = box(k[j], argBits[j], argRefs[j]);
        }
        return all;
    }

    boolean active() {
        return state != IDLE;
    }

    /** Records the exit's outcome for the return callbacks. */
    void setReturn(long retBits, Object retObj, Throwable thrown) {
        this.dirty = true;
        this.retBits = retBits;
        this.retObj = retObj;
        this.thrown = thrown;
    }

    /** Records the direct handlers this call's entry ran (list path). */
    void setDirect(DirectTarget t) {
        this.dirty = true;
        this.direct = t;
    }

    /** Records a live patch's replacement of the body. */
    void setReplacement(Object value) {
        this.dirty = true;
        this.replaced = true;
        this.replacement = value;
    }

    private void clearExtras() {
        dirty = false;
        retBits = 0;
        retObj = null;
        thrown = null;
        direct = null;
        replaced = false;
        replacement = null;
        if (moreData != null) {
            java.util.Arrays.fill(moreData, 0L);
        }
    }

    /** Ends the call: drops what the frame references, so that nothing is kept alive by a reused slot. */
    void deactivate() {
        state = IDLE;
        binding = null;
        if (dirty) {
            clearExtras();
        }
        if (argShape != NOT_SAVED) {
            dropArgs(argKinds.length);
        }
    }

    private int position(FtraceOps op) {
        Binding b = binding;
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
        byte shape = argShape;
        return shape == NOT_SAVED ? -1 : shape == SAVED_RECEIVER ? argKinds.length - 1 : argKinds.length;
    }

    /** @return the slot of argument {@code i}, which must exist */
    private int slot(int i) {
        int n = argCount();
        if (n < 0) {
            throw new IllegalStateException("arguments are only saved for ops with FL_SAVE_REGS");
        }
        java.util.Objects.checkIndex(i, n);
        return argShape == SAVED_RECEIVER ? i + 1 : i;
    }

    @Override
    public Object arg(int i) {
        int j = slot(i);
        return box(argKinds[j], argBits[j], argRefs[j]);
    }

    @Override
    public char argType(int i) {
        return argKinds[slot(i)];
    }

    @Override
    public long argBits(int i) {
        int j = slot(i);
        return argKinds[j] == 'L' ? 0L : argBits[j]; // a reference's slot may hold an earlier call's bits
    }

    @Override
    public Object argObject(int i) {
        return argRefs[slot(i)]; // null for a primitive: references are dropped with their call
    }

    @Override
    public Object receiver() {
        return argShape == SAVED_RECEIVER ? argRefs[0] : null;
    }

    @Override
    public long data(FtraceOps op) {
        int p = position(op);
        if (p == 0) {
            return data0;
        }
        if (p == 1) {
            return data1;
        }
        return p < 0 || moreData == null || p - 2 >= moreData.length ? 0 : moreData[p - 2];
    }

    @Override
    public void setData(FtraceOps op, long value) {
        int p = position(op);
        if (p == 0) {
            data0 = value;
        } else if (p == 1) {
            data1 = value;
        } else if (p > 1) {
            if (moreData == null || p - 2 >= moreData.length) { // only for lists of more than 2 ops
                moreData = java.util.Arrays.copyOf(moreData == null ? new long[0] : moreData, p + 2);
            }
            dirty = true;
            moreData[p - 2] = value;
        }
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
        return ctx.thread();
    }

    /**
     * A value kept as raw bits ({@code k} a descriptor char) or as a reference, as an object: a primitive
     * boxed (allocates, as boxing does). Here, not in SavedArgs, whose method handles it must not initialise.
     */
    static Object box(char k, long bits, Object ref) {
        switch (k) {
            case 'Z':
                return bits != 0;
            case 'B':
                return (byte) bits;
            case 'C':
                return (char) bits;
            case 'S':
                return (short) bits;
            case 'I':
                return (int) bits;
            case 'J':
                return bits;
            case 'F':
                return Float.intBitsToFloat((int) bits);
            case 'D':
                return Double.longBitsToDouble(bits);
            default:
                return ref;
        }
    }
}
