package org.jftrace.ftrace;

/**
 * The JVM's {@code ftrace_regs}: what a callback may read of the call it is called for.
 *
 * <p>Reused: a callback gets its call's frame on the thread's shadow stack (or, at a CALL_OPS entry,
 * the thread's view of that frame), and must not keep it past its return.
 * Arguments are only there for an ops registered with {@link FtraceOps#FL_SAVE_REGS}; an ops without
 * the flag pays nothing for them and sees {@link #argCount()} == -1.
 *
 * <p>The site saves them typed, without boxing: {@link #argType}, {@link #argBits} and
 * {@link #argObject} read them as they are; {@link #arg} boxes a primitive on each call, at the
 * callback's choice.
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

    /**
     * @return the kind of argument {@code i}, 0-based, receiver excluded: its descriptor's first char
     * for a primitive ({@code Z B C S I J F D}), {@code 'L'} for a reference (an array too).
     */
    public abstract char argType(int i);

    /**
     * @return primitive argument {@code i} as raw bits, as {@link #retval} holds a return value:
     * {@code boolean} 0 or 1, {@code byte}, {@code short}, {@code int} and {@code long} sign-extended,
     * {@code char} zero-extended, {@code float} and {@code double} their raw bits; 0 for a reference.
     * Allocates nothing.
     */
    public abstract long argBits(int i);

    /** @return reference argument {@code i}; null for a primitive. Allocates nothing. */
    public abstract Object argObject(int i);

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
