package org.jftrace.ftrace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.jftrace.filter.FilterHash;

/**
 * The JVM's {@code struct ftrace_ops}: a callback, its flags, and the filter and notrace hashes that
 * choose the functions it traces.
 *
 * <p>Register it with {@link Ftrace#registerFtraceFunction}. Each function it traces then has its
 * entry site bound to it: directly when it is the function's only ops (CALL_OPS), through
 * {@link OpsListFunc} when several ops trace the function.
 *
 * <h2>Flags</h2>
 * Attribute flags (set at construction) keep the kernel's bit numbers; state is kept apart, in
 * {@link #state}, as the kernel keeps ENABLED/ADDING/REMOVING apart from attributes in spirit.
 * <ul>
 *   <li>{@link #FL_SAVE_REGS}: the callback gets the arguments and the receiver in {@link Regs}, saved
 *       typed by the entry site (nothing boxed); an ops without it pays nothing for them.</li>
 *   <li>{@link #FL_RECURSION}: the callback is not called for functions that a callback running on the
 *       same thread calls (ftrace_test_recursion_trylock).</li>
 *   <li>{@link #FL_PID}: only threads chosen with {@link Ftrace#setPidFilter} are traced.</li>
 *   <li>{@link #FL_IPMODIFY}: the ops may replace the function's behaviour (live patching); at most
 *       one such ops per function.</li>
 *   <li>{@link #FL_DIRECT}: the ops carries a direct handler that the trampoline calls first, with no
 *       regs detour; at most one direct ops per function.</li>
 * </ul>
 */
public final class FtraceOps implements Binding {

    /** FTRACE_OPS_FL_SAVE_REGS: give the callback the arguments. */
    public static final int FL_SAVE_REGS = 1 << 2;
    /** FTRACE_OPS_FL_RECURSION: protect the callback against recursion. */
    public static final int FL_RECURSION = 1 << 4;
    /** FTRACE_OPS_FL_IPMODIFY: may change what the function does. */
    public static final int FL_IPMODIFY = 1 << 12;
    /** FTRACE_OPS_FL_PID: trace only the threads of the pid filter. */
    public static final int FL_PID = 1 << 13;
    /** FTRACE_OPS_FL_DIRECT: has a direct call. */
    public static final int FL_DIRECT = 1 << 17;

    private static final int ATTRIBUTE_FLAGS = FL_SAVE_REGS | FL_RECURSION | FL_IPMODIFY | FL_PID | FL_DIRECT;

    // State, not attribute: read by the trampoline on every call with an opaque load, so the JIT can
    // neither cache it across calls nor hoist it out of a loop (see Ftrace#unregisterFtraceFunction).
    static final int STATE_UNREGISTERED = 0;
    static final int STATE_ENABLED = 1;
    static final int STATE_REMOVING = 2;
    static final int STATE_FAILED = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(FtraceOps.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final String name;
    final int flags;
    final FtraceFunc func;
    final FtraceRetFunc retfunc;

    /** The ops' hashes; replaced (never mutated in place once published) under {@link Ftrace}'s lock. */
    volatile FilterHash filterHash = FilterHash.empty();
    volatile FilterHash notraceHash = FilterHash.empty();
    volatile PidFilter pidFilter;

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    /** Index into per-thread caches; assigned at registration, -1 while unregistered. */
    int slot = -1;

    /** ops->direct_call: set by {@link Ftrace#registerFtraceDirect}, under Ftrace's lock. */
    volatile DirectCall directCall;
    /** The direct call resolved per function (ip), rebuilt when {@link #directCall} changes. Under the lock. */
    final java.util.Map<Integer, DirectTarget> directTargets = new java.util.HashMap<>();

    /** Throwables that escaped the callbacks; the first shuts the ops down. */
    volatile long failures;
    volatile Throwable firstFailure;

    /**
     * @param name    the name shown in enabled_functions
     * @param flags   attribute flags ({@code FL_*})
     * @param func    the entry callback, or null for an ops that only wants returns
     * @param retfunc the return callback, or null
     */
    public FtraceOps(String name, int flags, FtraceFunc func, FtraceRetFunc retfunc) {
        this.name = Objects.requireNonNull(name, "name");
        if ((flags & ~ATTRIBUTE_FLAGS) != 0) {
            throw new IllegalArgumentException("unknown ops flags 0x" + Integer.toHexString(flags & ~ATTRIBUTE_FLAGS));
        }
        if (func == null && retfunc == null) {
            throw new IllegalArgumentException("ops '" + name + "' has neither func nor retfunc");
        }
        this.flags = flags;
        this.func = func;
        this.retfunc = retfunc;
    }

    /**
     * A direct ops ({@link #FL_DIRECT} is added): it has no callbacks of its own, only the
     * {@link DirectCall} given to {@link Ftrace#registerFtraceDirect}. Add {@link #FL_IPMODIFY} for a
     * live patch.
     */
    public static FtraceOps direct(String name, int flags) {
        return new FtraceOps(name, flags | FL_DIRECT);
    }

    private FtraceOps(String name, int flags) {
        this.name = Objects.requireNonNull(name, "name");
        if ((flags & ~ATTRIBUTE_FLAGS) != 0) {
            throw new IllegalArgumentException("unknown ops flags 0x" + Integer.toHexString(flags & ~ATTRIBUTE_FLAGS));
        }
        if ((flags & FL_SAVE_REGS) != 0) {
            throw new IllegalArgumentException("direct ops '" + name + "' gets its arguments exactly: FL_SAVE_REGS makes no sense");
        }
        this.flags = flags;
        this.func = null;
        this.retfunc = null;
    }

    /** @return the direct call of a registered direct ops, or null. */
    public DirectCall directCall() {
        return directCall;
    }

    /** Convenience for an entry-only ops. */
    public FtraceOps(String name, int flags, FtraceFunc func) {
        this(name, flags, func, null);
    }

    public String name() {
        return name;
    }

    public int flags() {
        return flags;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    public FilterHash filterHash() {
        return filterHash;
    }

    public FilterHash notraceHash() {
        return notraceHash;
    }

    /** @return whether the ops is registered and has not failed. */
    public boolean isEnabled() {
        return (int) STATE.getOpaque(this) == STATE_ENABLED;
    }

    /** @return how many throwables escaped its callbacks. */
    public long failures() {
        return failures;
    }

    /** Hot path: opaque, so each call re-reads it (pairs with the grace period in unregister). */
    boolean isLive() {
        return (int) STATE.getOpaque(this) == STATE_ENABLED;
    }

    void setState(int s) {
        STATE.setVolatile(this, s);
    }

    int state() {
        return (int) STATE.getVolatile(this);
    }

    /** The slow path of a callback that threw: count it, and stop calling this ops. */
    void failed(Throwable t) {
        synchronized (this) {
            failures++;
            if (firstFailure == null) {
                firstFailure = t;
                STATE.compareAndSet(this, STATE_ENABLED, STATE_FAILED);
                FtraceLog.warn("ops '" + name + "' threw " + t + " from its callback; it is no longer called");
            }
        }
    }

    // Binding: this ops alone (CALL_OPS). Public because interface methods are; cold paths only.

    /** @return this ops, alone: the binding of a function it alone traces. */
    @Override
    public FtraceOps[] ops() {
        return new FtraceOps[] {this};
    }

    /** @return null: an ops alone makes no direct call (a direct ops binds its {@code DirectTarget}). */
    @Override
    public DirectTarget direct() {
        return null;
    }

    /** @return whether it has {@link #FL_SAVE_REGS}. */
    @Override
    public boolean savesRegs() {
        return hasFlag(FL_SAVE_REGS);
    }

    /** @return its name, as enabled_functions shows it. */
    @Override
    public String opsColumn() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
