package org.jftrace.ftrace;

/**
 * The JVM's {@code ftrace_regs}: what a callback may read of the call it is called for.
 *
 * <p>Reused: a callback gets its call's frame on the thread's shadow stack (or, at a CALL_OPS entry,
 * the thread's view of that frame), and must not keep it past its return.
 * Arguments are only there for an ops registered with {@link FtraceOps#FL_SAVE_REGS}; an ops without
 * the flag pays no boxing and sees {@link #argCount()} == -1.
 */
public abstract class Regs {

    Regs() {
    }

    /** @return the call depth on this thread: 1 for the outermost traced call. */
    public abstract int depth();

    /** @return the number of arguments (receiver excluded), or -1 if this ops did not ask for them. */
    public abstract int argCount();

    /** @return argument {@code i} (boxed), 0-based, receiver excluded. */
    public abstract Object arg(int i);

    /** @return the receiver of an instance method or constructor, or null for a static method. */
    public abstract Object receiver();

    /**
     * @return the value {@code op} stored with {@link #setData} at this call's entry (0 if none): per-call
     * storage, as fgraph_ops reserve data on the kernel's return stack (e.g. a graph tracer's calltime).
     */
    public abstract long data(FtraceOps op);

    /** Stores a per-call value for {@code op}, read back at the same call's return. */
    public abstract void setData(FtraceOps op, long value);

    /** @return at a return: the return value as raw bits (int widened, float/double raw bits), else 0. */
    public abstract long retval();

    /** @return at a return of a reference type: the returned object, else null. */
    public abstract Object retObject();

    /** @return at an exceptional exit: the throwable leaving the function, else null. */
    public abstract Throwable thrown();

    /**
     * @return the value {@code op} stored for this thread with {@link #setLocal}, or null: per-thread
     * storage without a ThreadLocal lookup (the trampoline already has the thread's context).
     */
    public abstract Object local(FtraceOps op);

    /** Stores a per-thread value for {@code op} (e.g. the thread's trace buffer). */
    public abstract void setLocal(FtraceOps op, Object value);

    /** @return the thread making the call. */
    public abstract Thread thread();
}
