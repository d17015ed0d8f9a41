package org.jftrace.ftrace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Arrays;

/**
 * A thread's tracing state: its shadow stack of traced calls, its recursion guard, and the counter
 * that lets {@link Ftrace#unregisterFtraceFunction} wait for it to leave the trampoline (the JVM's
 * {@code synchronize_rcu_tasks}).
 *
 * <p>Only its own thread writes it, except {@link #seq}, which others read.
 *
 * <p>It is also the {@link Regs} that the entry callback of a CALL_OPS ops gets: the call on top of the
 * thread's shadow stack, whose frame it reads for what is per call. The callback's
 * {@link #local} is then one load from the context the trampoline already holds, where a frame's is
 * two dependent loads more ({@code frames[d]}, then its {@code ctx}) on the path to the trace buffer.
 */
final class ThreadCtx extends Regs {

    /** Calls nested deeper than this are not traced (and counted): bounds a runaway recursion's stack. */
    static final int MAX_DEPTH = 8192;

    private static final ThreadLocal<ThreadCtx> CURRENT = ThreadLocal.withInitial(ThreadCtx::create);

    private static final VarHandle SEQ;
    private static final VarHandle LAST_LOCAL_OWNER;
    private static final VarHandle LAST_LOCAL_VALUE;

    static {
        try {
            SEQ = MethodHandles.lookup().findVarHandle(ThreadCtx.class, "seq", long.class);
            LAST_LOCAL_OWNER = MethodHandles.lookup().findVarHandle(ThreadCtx.class, "lastLocalOwner", Object.class);
            LAST_LOCAL_VALUE = MethodHandles.lookup().findVarHandle(ThreadCtx.class, "lastLocalValue", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The owning thread, weakly: {@link #CACHE} holds contexts strongly, and must not keep the Thread
     * object of an ended thread reachable (an application's {@code WeakHashMap<Thread, ?>} would see it).
     */
    private final WeakReference<Thread> thread;
    private Frame[] frames = new Frame[16];
    int depth;
    /**
     * Odd while this thread is inside the trampoline or one of its callbacks; written only by it
     * (opaque, then release). One counter serves both the grace period and FL_RECURSION: traced code
     * reached while it is odd was called by a callback, so such a nested activation leaves it alone
     * and skips the ops that asked not to be re-entered.
     */
    @SuppressWarnings("unused") // accessed through SEQ
    private volatile long seq;
    /** One of the tracer's own threads (see {@link #markTracer}); written once, by the owner. */
    private volatile boolean tracer;

    /** Per-ops-slot cache of the pid filter last seen and whether this thread matched it. */
    private Object[] pidSeen = new Object[8];
    private boolean[] pidOk = new boolean[8];

    /** Per-ops-slot thread-local values, tagged with the ops they belong to (slots are reused). */
    private Object[] localOwner = new Object[8];
    private Object[] localValue = new Object[8];
    /** The last ops whose local was read or set here, and that value: a one-entry cache in front of the arrays. */
    private Object lastLocalOwner;
    private Object lastLocalValue;


    /** The live-patch signal of this thread (see {@link Replaced}): preallocated, so a patch allocates nothing. */
    final Replaced signal = new Replaced();

    private ThreadCtx(Thread thread) {
        this.thread = new WeakReference<>(thread);
    }

    private static ThreadCtx create() {
        ThreadCtx ctx = new ThreadCtx(Thread.currentThread());
        GracePeriod.add(ctx);
        return ctx;
    }

    /** @return the owning thread; null only once it has ended and been collected. */
    @Override
    public Thread thread() {
        return thread.get();
    }

    // The context lookup of every traced call. ThreadLocal.get() measured 4-6 ns in the trampoline
    // (a hash probe of the thread's map, often a miss on its first slot); this direct-mapped cache,
    // indexed by the thread id, is one array load and one identity check. Collisions and new threads go
    // to the ThreadLocal, which stays the owner of each context. Racy on purpose: a slot is only ever
    // read as a whole reference, and a context read from another thread's slot fails the check.

    private static final int CACHE_SIZE = 4096;
    private static final ThreadCtx[] CACHE = new ThreadCtx[CACHE_SIZE];

    static ThreadCtx current() {
        Thread t = Thread.currentThread();
        ThreadCtx c = CACHE[(int) t.getId() & (CACHE_SIZE - 1)]; // getId() may be overridden: a hash only
        if (c != null && c.thread.refersTo(t)) {
            return c;
        }
        return currentSlow(t);
    }

    private static ThreadCtx currentSlow(Thread t) {
        ThreadCtx c = CURRENT.get();
        int slot = (int) t.getId() & (CACHE_SIZE - 1);
        ThreadCtx occupant = CACHE[slot];
        // Take the slot only from an ended thread: two live threads sharing a slot would otherwise
        // take it from each other on every call, writing to a line every other thread reads.
        if (occupant == null || !isAlive(occupant.thread.get())) {
            CACHE[slot] = c;
        }
        return c;
    }

    static boolean isAlive(Thread t) {
        return t != null && t.isAlive();
    }

    // ---------------------------------------------------------------------------------------------
    // Inside the trampoline: the thread's side of the grace period (GracePeriod is the other)

    /**
     * Enters the trampoline. The store is plain-cost (x86: a mov), made visible to the unregistering
     * thread by the global safepoint it forces, not by a fence here: see {@link GracePeriod#synchronize}.
     *
     * @return the value to {@link #insideLeave leave} with, or -1 for a nested activation (the counter
     *         is already odd: a callback of an outer activation is running)
     */
    private long insideEnter() {
        long s = (long) SEQ.getOpaque(this);
        if ((s & 1) != 0) {
            return -1;
        }
        SEQ.setOpaque(this, s + 1);
        return s + 2;
    }

    private void insideLeave(long next) {
        if (next >= 0) {
            SEQ.setRelease(this, next);
        }
    }

    /**
     * Whether this thread is inside the trampoline or one of its callbacks now, or is one of the
     * tracer's own threads: a JDK method called from there is the tracer's doing, not traced.
     */
    boolean insideTracer() {
        return ((long) SEQ.getOpaque(this) & 1) != 0;
    }

    /**
     * Makes this thread one of the tracer's own for the rest of its life: it stays inside (its counter
     * odd), so every activation it makes is nested, and {@link GracePeriod} no longer waits for it.
     */
    void markTracer() {
        if (!tracer) {
            tracer = true; // before the counter turns odd: a grace period that sees it odd sees this
            long s = (long) SEQ.getOpaque(this);
            if ((s & 1) == 0) {
                SEQ.setRelease(this, s + 1);
            }
        }
    }

    /** Enters the tracer's own code on this thread (see {@link JdkSites#enterTracerCode}): @return the value to leave with */
    long enterTracerCode() {
        return insideEnter();
    }

    void leaveTracerCode(long next) {
        insideLeave(next);
    }

    /** Whether {@link #markTracer} made this one of the tracer's threads. */
    boolean isTracer() {
        return tracer;
    }

    /**
     * Drops {@code op} from this context: from its idle frames (a CALL_OPS exit leaves its ops in its
     * frame, {@link Frame#binding}) and from its ops-local values ({@link #local}). Otherwise an
     * unregistered ops, and what its callback and its locals hold (a trace instance, a thread's buffer),
     * would stay reachable from every thread that traced with it and traces nothing more.
     *
     * <p>Called by another thread, after {@code op}'s grace period, under Ftrace's lock, before its slot
     * is freed (see {@link GracePeriod#forget}). No thread can activate a frame with op any more, nor
     * with an ops already unregistered (none is registered again while the lock is held), so a frame
     * bound to one of them is idle, or active in a call its entry reached before: left alone. Not so
     * for an ops another unregister is still waiting for, or one that failed: a thread that passed its
     * check just before may be activating a frame with it, keeping the binding it finds; those are
     * left to their own unregister.
     *
     * <p>A frame whose call was in flight keeps its ops after its pop (checking costs the pop 2 ns); the
     * next call of forget, for any ops, drops it. The owner may meanwhile bind the same frame, or its
     * one-entry local cache, to another ops: each compare-and-set here then fails, or the owner's later
     * store wins, as it must.
     */
    void forget(FtraceOps op) {
        for (Frame f : frames) { // a racy read: a frame added since is bound to a live ops
            Binding b = f == null ? null : f.binding;
            if ((b == op || (b instanceof FtraceOps && ((FtraceOps) b).state() == FtraceOps.STATE_UNREGISTERED))
                    && !f.active()) {
                Frame.BINDING.compareAndSet(f, b, (Binding) null);
            }
        }
        // The owner stores its cache's owner, then (release) its value. Reading the value first, then
        // the owner: if the owner is still op, v is op's value, and the value CAS fails if a new
        // value has landed since, or precedes it (the owner's store then wins).
        Object v = LAST_LOCAL_VALUE.getVolatile(this);
        if (LAST_LOCAL_OWNER.getVolatile(this) == op && LAST_LOCAL_OWNER.compareAndSet(this, (Object) op, (Object) null)) {
            LAST_LOCAL_VALUE.compareAndSet(this, v, (Object) null);
        }
        int slot = op.slot;
        Object[] owners = localOwner; // racy: a copy the owner makes while growing may keep op
        Object[] values = localValue;
        if (slot >= 0 && slot < owners.length && slot < values.length && owners[slot] == op) {
            values[slot] = null;
            owners[slot] = null;
        }
    }

    /** The counter of {@link #insideEnter}: odd while this thread is inside the trampoline. */
    long seqVolatile() {
        return (long) SEQ.getVolatile(this);
    }

    /** Whether this context belongs to {@code t}. */
    boolean ownedBy(Thread t) {
        return thread.refersTo(t);
    }

    @Override
    public Object local(FtraceOps op) {
        if (lastLocalOwner == op) { // one tracer at a time is the common case: one compare, one load
            return lastLocalValue;
        }
        int slot = op.slot;
        Object v = slot >= 0 && slot < localOwner.length && localOwner[slot] == op ? localValue[slot] : null;
        if (v != null) {
            lastLocalOwner = op;
            LAST_LOCAL_VALUE.setRelease(this, v); // after the owner: see forget
        }
        return v;
    }

    @Override
    public void setLocal(FtraceOps op, Object value) {
        int slot = op.slot;
        if (slot < 0) {
            return;
        }
        lastLocalOwner = op;
        LAST_LOCAL_VALUE.setRelease(this, value); // after the owner: see forget
        if (slot >= localOwner.length) {
            localOwner = Arrays.copyOf(localOwner, slot + 8);
            localValue = Arrays.copyOf(localValue, slot + 8);
        }
        localOwner[slot] = op;
        localValue[slot] = value;
    }

    // ---------------------------------------------------------------------------------------------
    // Regs: the call on top of this thread's shadow stack, which is the call a CALL_OPS entry callback
    // runs for (see enterOne). Only what needs the frame reads it.

    private Frame top() {
        return frames[depth - 1];
    }

    @Override
    public int depth() {
        return depth;
    }

    @Override
    public int argCount() {
        return top().argCount();
    }

    @Override
    public Object arg(int i) {
        return top().arg(i);
    }

    @Override
    public char argType(int i) {
        return top().argType(i);
    }

    @Override
    public long argBits(int i) {
        return top().argBits(i);
    }

    @Override
    public Object argObject(int i) {
        return top().argObject(i);
    }

    @Override
    public Object receiver() {
        return top().receiver();
    }

    @Override
    public long data(FtraceOps op) {
        return top().data(op);
    }

    @Override
    public void setData(FtraceOps op, long value) {
        top().setData(op, value);
    }

    @Override
    public long retval() {
        return top().retval();
    }

    @Override
    public Object retObject() {
        return top().retObject();
    }

    @Override
    public Throwable thrown() {
        return top().thrown();
    }

    // ---------------------------------------------------------------------------------------------
    // Entry and exit

    private Frame frame(int d) {
        Frame[] fs = frames;
        if (d >= fs.length) {
            fs = frames = Arrays.copyOf(fs, Math.min(MAX_DEPTH, fs.length * 2)); // once per new max depth
        }
        Frame f = fs[d];
        if (f == null) {
            f = fs[d] = new Frame(this, d + 1);
        }
        return f;
    }

    /** Where the saved arguments of calls deeper than {@link #MAX_DEPTH} go, to be dropped: such calls are not traced. */
    private Frame overflow;

    /**
     * The frame the next call on this thread is activated in, with room for {@code m} saved slots: an
     * entry with saved arguments stores them there first ({@link SavedArgs}), then calls
     * {@link #enter} with it. Nothing runs in between, so it is still the frame at {@link #depth}.
     */
    Frame argFrame(int m) {
        int d = depth;
        Frame f;
        if (d < MAX_DEPTH) {
            f = frame(d);
        } else {
            f = overflow;
            if (f == null) {
                f = overflow = new Frame(this, MAX_DEPTH + 1);
            }
        }
        f.ensureArgs(m);
        return f;
    }

    /** @param nested the activation runs inside a callback (see {@link #seq}) */
    private boolean admits(FtraceOps op, boolean nested) {
        return admits(op, op.flags, nested);
    }

    /** @param f {@code op.flags}, a constant where the site binds it (CALL_OPS), so C2 folds the tests */
    private boolean admits(FtraceOps op, int f, boolean nested) {
        if (!op.isLive()) {
            return false;
        }
        if (nested && (f & FtraceOps.FL_RECURSION) != 0) {
            return false;
        }
        return (f & FtraceOps.FL_PID) == 0 || pidAllows(op);
    }

    private boolean pidAllows(FtraceOps op) {
        PidFilter pf = op.pidFilter;
        if (pf == null) {
            return true; // like an empty set_ftrace_pid: no pid filtering
        }
        int slot = op.slot;
        if (slot < 0) {
            return false;
        }
        if (slot >= pidSeen.length) {
            pidSeen = Arrays.copyOf(pidSeen, slot + 8);
            pidOk = Arrays.copyOf(pidOk, slot + 8);
        }
        if (pidSeen[slot] != pf) {
            pidOk[slot] = pf.matches(thread.get());
            pidSeen[slot] = pf;
        }
        return pidOk[slot];
    }

    /**
     * CALL_OPS: the entry of a function traced by exactly one ops, without arguments. The same work as
     * {@link #enter} with no list to walk, kept small so that C2 inlines it into the site with
     * {@code fn}, {@code flags} and {@code exitKind} constant (bound into the site: a field of the ops
     * would be a load and a test per call). The callback gets this context as its {@link Regs} (see the
     * class comment).
     *
     * @param flags    {@code op.flags}
     * @param exitKind {@link Frame#EXIT_POP} if {@code op} has no return callback, else {@link Frame#EXIT_ONE}
     * @return the frame (the token the exit sites get back), or null when nothing was called
     */
    Frame enterOne(FtraceOps op, FtraceFunc fn, int flags, byte exitKind, int ip) {
        long leave = insideEnter();
        if (leave < 0) { // a traced call made by a callback; below, C2 knows leave >= 0 and drops insideLeave's test
            return admits(op, flags, true) ? pushOne(op, fn, exitKind, ip) : null;
        }
        try {
            return admits(op, flags, false) ? pushOne(op, fn, exitKind, ip) : null;
        } finally {
            insideLeave(leave);
        }
    }

    private Frame pushOne(FtraceOps op, FtraceFunc fn, byte exitKind, int ip) {
        int d = depth;
        if (d >= MAX_DEPTH) {
            return null;
        }
        Frame f = frame(d);
        f.activate(ip, op, exitKind);
        depth = d + 1;
        if (fn != null) {
            long parent = d > 0 ? frames[d - 1].ip : 0L;
            try {
                fn.func(ip, parent, op, this);
            } catch (Throwable t) {
                op.failed(t);
            }
        }
        return f;
    }

    /** The entry of the list path without saved arguments: see {@link #enter(Binding, int, Frame, char[], boolean)}. */
    Frame enter(Binding binding, int ip) {
        return enter(binding, ip, null, null, false);
    }

    /**
     * A function's entry: calls the entry callbacks of {@code binding} that admit this call and pushes
     * a frame. @return the frame (the token the exit sites get back), or null when nothing was called.
     *
     * @param saved    null, or the frame of {@link #argFrame} whose slots hold the call's arguments
     * @param kinds    the kinds of the saved slots (with {@code saved})
     * @param receiver slot 0 holds the receiver
     */
    Frame enter(Binding binding, int ip, Frame saved, char[] kinds, boolean receiver) {
        long leave = insideEnter();
        try {
            int d = depth;
            if (d >= MAX_DEPTH) {
                dropSaved(saved, kinds);
                return null;
            }
            long mask;
            if (binding instanceof FtraceOps) {
                mask = admits((FtraceOps) binding, leave < 0) ? 1L : 0L;
            } else {
                FtraceOps[] ops = ((OpsListFunc) binding).ops;
                mask = 0;
                for (int i = 0; i < ops.length; i++) {
                    if (admits(ops[i], leave < 0)) {
                        mask |= 1L << i;
                    }
                }
            }
            if (mask == 0) {
                dropSaved(saved, kinds);
                return null;
            }
            Frame f = saved != null ? saved : frame(d); // saved is frame(d): see argFrame
            f.activate(ip, binding, mask, kinds, receiver);
            depth = d + 1;
            long parent = d > 0 ? frames[d - 1].ip : 0L;
            if (binding instanceof FtraceOps) {
                callFunc((FtraceOps) binding, ip, parent, f);
            } else {
                FtraceOps[] ops = ((OpsListFunc) binding).ops;
                for (int i = 0; i < ops.length; i++) {
                    if ((mask & (1L << i)) != 0) {
                        if ((ops[i].flags & FtraceOps.FL_DIRECT) != 0) {
                            callDirect(ops[i], binding, f);
                        } else {
                            callFunc(ops[i], ip, parent, f);
                        }
                    }
                }
            }
            return f;
        } finally {
            insideLeave(leave);
        }
    }

    /** A call nothing takes: its saved arguments must not stay reachable from the idle frame. */
    private static void dropSaved(Frame saved, char[] kinds) {
        if (saved != null) {
            saved.dropArgs(kinds.length);
        }
    }

    /**
     * The boxed entry of a function bound to a direct ops alone (the slow path between a batch's
     * invalidation and its relink, and legacy class files): inside the trampoline, so that
     * unregister waits for it. @return the token, or throws the live-patch signal
     */
    Object enterDirect(DirectTarget t, Object[] all) {
        Object v;
        long leave = insideEnter();
        try {
            if (!t.op.isLive()) {
                return null;
            }
            try {
                v = t.enterBoxed(all);
            } catch (Throwable e) {
                t.op.failed(e);
                return null;
            }
        } finally {
            insideLeave(leave);
        }
        if (v != DirectTarget.KEEP) {
            throw t.signal(v, null);
        }
        return t.token();
    }

    /** The boxed exit of a call whose entry ran direct target {@code t} alone. */
    void exitDirect(DirectTarget t, long bits, Object obj, Throwable thrown) {
        long leave = insideEnter();
        try {
            if (t.op.isLive()) {
                try {
                    t.exitBoxed(bits, obj, thrown);
                } catch (Throwable e) {
                    t.op.failed(e);
                }
            }
        } finally {
            insideLeave(leave);
        }
    }

    /** The list path's call of the direct ops of {@code binding}: boxed, caught like any callback. */
    private static void callDirect(FtraceOps op, Binding binding, Frame f) {
        DirectTarget t = ((OpsListFunc) binding).direct;
        if (t == null || t.op != op) {
            return;
        }
        f.setDirect(t);
        try {
            Object v = t.enterBoxed(f.boxedAll());
            if (v != DirectTarget.KEEP) {
                f.setReplacement(v);
            }
        } catch (Throwable e) {
            op.failed(e);
        }
    }

    private static void callFunc(FtraceOps op, int ip, long parent, Frame f) {
        FtraceFunc fn = op.func;
        if (fn != null) {
            try {
                fn.func(ip, parent, op, f);
            } catch (Throwable t) {
                op.failed(t);
            }
        }
    }

    private static void callRetfunc(FtraceOps op, int ip, long parent, Frame f) {
        FtraceRetFunc fn = op.retfunc;
        if (fn != null && op.isLive()) {
            try {
                fn.retfunc(ip, parent, op, f);
            } catch (Throwable t) {
                op.failed(t);
            }
        }
    }

    private static void callDirectExit(FtraceOps op, Frame f) {
        DirectTarget t = f.direct; // the handlers this call's entry ran, even if modified since
        if (t != null && t.op == op && op.isLive()) {
            try {
                t.exitBoxed(f.retBits, f.retObj, f.thrown);
            } catch (Throwable e) {
                op.failed(e);
            }
        }
    }

    /**
     * The exit of an {@link Frame#EXIT_POP} call (one ops, no return callback): only the pop. Small
     * enough for C2 to inline into the exit site, where the full {@link #exit} is a call.
     */
    void exitPop(Frame f) {
        int d = depth;
        if (f.state == Frame.EXIT_POP && f.depth == d) {
            f.state = Frame.IDLE; // the binding stays (see Frame#binding); a load to check it here cost 2 ns
            depth = d - 1;
        } else {
            exit(f, 0L, null, null); // already exited, or frames above lost their exits
        }
    }

    /**
     * The exit of an {@link Frame#EXIT_ONE} call: its one ops' return callback, the CALL_OPS exit.
     * The return value is set only for the callback's duration, so the frame needs no clearing after.
     */
    void exitOne(Frame f, long retBits, Object retObj, Throwable thrown) {
        if (f.state != Frame.EXIT_ONE || f.depth != depth) {
            exit(f, retBits, retObj, thrown); // already exited, or frames above lost their exits
            return;
        }
        long leave = insideEnter();
        try {
            FtraceOps op = (FtraceOps) f.binding;
            FtraceRetFunc fn = op.retfunc;
            if (!op.isLive()) { // unregistered while the call ran (forget skips active frames)
                f.binding = null;
            } else {
                f.retBits = retBits;
                // Reference fields only when set (they are null here): C2 drops both stores, and their
                // G1 barriers, for an exit site whose value is a primitive or void.
                if (retObj != null) {
                    f.retObj = retObj;
                }
                if (thrown != null) {
                    f.thrown = thrown;
                }
                int d = f.depth;
                try {
                    fn.retfunc(f.ip, d >= 2 ? frames[d - 2].ip : 0L, op, f);
                } catch (Throwable t) {
                    op.failed(t);
                }
            }
        } finally {
            f.retBits = 0L;
            if (retObj != null) {
                f.retObj = null;
            }
            if (thrown != null) {
                f.thrown = null;
            }
            f.state = Frame.IDLE;
            depth = f.depth - 1;
            insideLeave(leave);
        }
    }

    /** A function's exit, normal or exceptional, for the frame its entry returned. */
    void exit(Frame f, long retBits, Object retObj, Throwable thrown) {
        if (!f.active()) {
            return; // already exited (an exception escaped our own exit code): never exit twice
        }
        if (f.state == Frame.EXIT_POP) {
            while (depth > f.depth) { // frames above f lost their exits
                frames[depth - 1].deactivate();
                depth--;
            }
            f.deactivate();
            depth = f.depth - 1;
            return;
        }
        long leave = insideEnter();
        int d = f.depth;
        int ip = f.ip;
        try {
            // Frames above f lost their exits (only possible if a VM error cut through an exit site).
            while (depth > d) {
                frames[depth - 1].deactivate();
                depth--;
            }
            f.setReturn(retBits, retObj, thrown);
            long parent = d >= 2 ? frames[d - 2].ip : 0L;
            Binding binding = f.binding;
            if (binding instanceof FtraceOps) {
                callRetfunc((FtraceOps) binding, ip, parent, f);
            } else {
                FtraceOps[] ops = ((OpsListFunc) binding).ops;
                long mask = f.calledMask;
                for (int i = 0; i < ops.length; i++) {
                    if ((mask & (1L << i)) != 0) {
                        if ((ops[i].flags & FtraceOps.FL_DIRECT) != 0) {
                            callDirectExit(ops[i], f);
                        } else {
                            callRetfunc(ops[i], ip, parent, f);
                        }
                    }
                }
            }
        } finally {
            f.deactivate();
            if (depth >= d) {
                depth = d - 1;
            }
            insideLeave(leave);
        }
    }
}
