package org.jftrace.ftrace;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.Arrays;

/**
 * The JVM's {@code ftrace_caller}: the bootstrap methods the agent's sites link to, and the targets
 * a site can be bound to.
 *
 * <p>Each traced method begins with {@code invokedynamic jftrace_entry(receiver?, args...)Object}
 * whose call site is a {@link MutableCallSite} bound, through its {@link PatchGroup}'s guard, to one
 * of:
 * <ul>
 *   <li>nothing traces the function: {@code MethodHandles.empty}, which returns the constant null
 *       token; C2 folds the site and the exits' null checks away;</li>
 *   <li>one ops (CALL_OPS): {@link #callOps} bound to that ops, so the call goes straight to its
 *       callback with no list walk;</li>
 *   <li>two or more: {@link #listFunc} bound to the function's {@link OpsListFunc}.</li>
 * </ul>
 * Arguments reach the trampoline only when some ops asked for them (FL_SAVE_REGS); otherwise the
 * bound target drops them and nothing is boxed.
 *
 * <p>Every return and the catch-all handler call {@code jftrace_exit(ret, token)} /
 * {@code jftrace_throw(throwable, token)}, constant sites that hand the token (a {@link Frame}) back.
 */
public final class Trampoline {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final Object[] NO_ARGS = new Object[0];

    private static final MethodHandle CALL_OPS;
    private static final MethodHandle LIST_FUNC;
    /** Entry chains (see {@link Hop}): a link's ip, its tail's target, the link after it. */
    private static final MethodHandle HOP_IP;
    private static final MethodHandle HOP_TARGET;
    private static final MethodHandle HOP_NEXT;
    private static final MethodHandle ENTER_REGS_HOP;
    private static final MethodHandle SLOW_HOP;
    /** The exits by the site's value type: void, Z B C S I J F D, a reference, the thrown Throwable. */
    private static final MethodHandle EXIT_V;
    private static final MethodHandle EXIT_Z;
    private static final MethodHandle EXIT_B;
    private static final MethodHandle EXIT_C;
    private static final MethodHandle EXIT_S;
    private static final MethodHandle EXIT_I;
    private static final MethodHandle EXIT_J;
    private static final MethodHandle EXIT_F;
    private static final MethodHandle EXIT_D;
    private static final MethodHandle EXIT_L;
    private static final MethodHandle EXIT_T;
    private static final MethodHandle REPLACED_J;
    private static final MethodHandle REPLACED_F;
    private static final MethodHandle REPLACED_D;
    private static final MethodHandle REPLACED_L;
    private static final MethodHandle REPLACED_V;
    private static final MethodHandle IS_REPLACED;

    static {
        try {
            MethodType obj = MethodType.methodType(Object.class);
            CALL_OPS = LOOKUP.findStatic(Trampoline.class, "callOps",
                    obj.appendParameterTypes(FtraceOps.class, FtraceFunc.class, int.class, byte.class, int.class));
            LIST_FUNC = LOOKUP.findStatic(Trampoline.class, "listFunc",
                    obj.appendParameterTypes(OpsListFunc.class, int.class));
            HOP_IP = LOOKUP.findVirtual(Hop.class, "ip", MethodType.methodType(int.class));
            HOP_TARGET = MethodHandles.filterReturnValue(
                    LOOKUP.findVirtual(Hop.class, "tail", MethodType.methodType(CallSite.class)),
                    LOOKUP.findVirtual(CallSite.class, "getTarget", MethodType.methodType(MethodHandle.class)));
            HOP_NEXT = LOOKUP.findStatic(Hop.class, "next", MethodType.methodType(Hop.class, Hop.class));
            ENTER_REGS_HOP = LOOKUP.findStatic(Trampoline.class, "enterRegsHop",
                    obj.appendParameterTypes(Object.class, Hop.class, Object[].class));
            SLOW_HOP = LOOKUP.findStatic(Trampoline.class, "slowHop", obj.appendParameterTypes(Hop.class, Object[].class));
            EXIT_V = LOOKUP.findStatic(Trampoline.class, "exitV", MethodType.methodType(void.class, Object.class));
            EXIT_Z = exitOf("exitZ", boolean.class);
            EXIT_B = exitOf("exitB", byte.class);
            EXIT_C = exitOf("exitC", char.class);
            EXIT_S = exitOf("exitS", short.class);
            EXIT_I = exitOf("exitI", int.class);
            EXIT_J = exitOf("exitJ", long.class);
            EXIT_F = exitOf("exitF", float.class);
            EXIT_D = exitOf("exitD", double.class);
            EXIT_L = exitOf("exitL", Object.class);
            EXIT_T = exitOf("exitT", Throwable.class);
            MethodType th = MethodType.methodType(void.class, Throwable.class, int.class);
            REPLACED_J = LOOKUP.findStatic(Trampoline.class, "replacedJ", th.changeReturnType(long.class));
            REPLACED_F = LOOKUP.findStatic(Trampoline.class, "replacedF", th.changeReturnType(float.class));
            REPLACED_D = LOOKUP.findStatic(Trampoline.class, "replacedD", th.changeReturnType(double.class));
            REPLACED_L = LOOKUP.findStatic(Trampoline.class, "replacedL", th.changeReturnType(Object.class));
            REPLACED_V = LOOKUP.findStatic(Trampoline.class, "replacedV", th);
            IS_REPLACED = LOOKUP.findStatic(Trampoline.class, "isReplaced", MethodType.methodType(boolean.class, Throwable.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Trampoline() {
    }

    private static MethodHandle exitOf(String name, Class<?> value) throws ReflectiveOperationException {
        return LOOKUP.findStatic(Trampoline.class, name, MethodType.methodType(void.class, value, Object.class));
    }

    // ---------------------------------------------------------------------------------------------
    // Bootstrap methods. They must never throw: a failed link becomes a site that does nothing.

    /**
     * The bootstrap of every site the agent writes, which it names: {@code jftrace_key},
     * {@code jftrace_entry}, {@code jftrace_exit} and {@code jftrace_throw}. One bootstrap handle
     * for all of them because HotSpot resolves a bootstrap method handle once per class (its constant
     * pool entry) and adapts it once per handle: with one handle, the entry and exit sites that first
     * link when a function is traced (after its static key went on) reuse what the key's link resolved.
     */
    public static CallSite site(MethodHandles.Lookup caller, String name, MethodType type, int ip) {
        switch (name) {
            case "jftrace_key":
                return key(caller, name, type, ip);
            case "jftrace_entry":
                return entry(caller, name, type, ip);
            case "jftrace_exit":
            case "jftrace_throw":
                return exit(caller, name, type, ip);
            default: // not written by our agent
                FtraceLog.warn("unknown site " + name + " in " + caller.lookupClass().getName() + ": linked to nothing");
                return new ConstantCallSite(MethodHandles.empty(type));
        }
    }

    /** Bootstrap of a method's entry site. */
    public static CallSite entry(MethodHandles.Lookup caller, String name, MethodType type, int ip) {
        try {
            return Ftrace.linkEntry(ip, type);
        } catch (Throwable t) {
            FtraceLog.warn("cannot link the entry site of function " + ip + " in " + caller.lookupClass().getName()
                    + ": " + t);
            return new ConstantCallSite(MethodHandles.empty(type));
        }
    }

    /**
     * Bootstrap of a method's key instruction ({@code jftrace_key()Z}): its package's {@link StaticKey},
     * shared by every method of the package. A key that cannot be linked says on: the entry site then
     * decides, which is always right.
     */
    public static CallSite key(MethodHandles.Lookup caller, String name, MethodType type, int ip) {
        try {
            MutableCallSite key = Ftrace.linkKey(ip);
            try {
                Ftrace.prelinkEntry(ip, caller.lookupClass().getClassLoader());
            } catch (Throwable t) {
                // Nothing lost: the entry's own bootstrap links it, and reports what fails there.
            }
            return key;
        } catch (Throwable t) {
            FtraceLog.warn("cannot link the static key of function " + ip + " in " + caller.lookupClass().getName()
                    + ": " + t);
            return new ConstantCallSite(MethodHandles.constant(boolean.class, true));
        }
    }

    /**
     * Bootstrap of a method's exit sites ({@code jftrace_exit}) and its throw site
     * ({@code jftrace_throw}): {@link ExitSite}s, relinked with the entry site when a direct exit
     * handler comes or goes (see {@link DirectTarget}).
     */
    public static CallSite exit(MethodHandles.Lookup caller, String name, MethodType type, int ip) {
        try {
            return Ftrace.linkExit(ip, type, "jftrace_throw".equals(name));
        } catch (Throwable t) {
            FtraceLog.warn("cannot link an exit site of function " + ip + " in " + caller.lookupClass().getName()
                    + ": " + t);
            if ("jftrace_throw".equals(name)) { // never swallow the method's exception
                return new ConstantCallSite(MethodHandles.dropArguments(
                        MethodHandles.throwException(type.returnType(), Throwable.class), 1, Object.class).asType(type));
            }
            return new ConstantCallSite(MethodHandles.empty(type));
        }
    }

    static MethodHandle replacedTarget(MethodType type, int ip) {
        Class<?> r = type.returnType();
        MethodHandle h;
        if (r == void.class) {
            h = REPLACED_V;
        } else if (r == float.class) {
            h = REPLACED_F;
        } else if (r == double.class) {
            h = REPLACED_D;
        } else if (r.isPrimitive()) {
            h = REPLACED_J;
        } else {
            h = REPLACED_L;
        }
        return MethodHandles.explicitCastArguments(MethodHandles.insertArguments(h, 1, ip), type);
    }

    /**
     * A method's entry site: the kernel's patchable call site with its per-site ops literal.
     *
     * <p>Its target is {@code H(head)}: a hop handle {@code H} bound to the site's first {@link Hop}
     * link, viewed at the site's type. A hop handle is shared by every site of a {@link PatchGroup}
     * with the same binding and erased type: {@code H(link, args) = group valid ? bound(link.ip, args)
     * : link.tail.target(next(link), args)}. A switch sets the tail of the site's current link to the
     * new group's hop ({@link #extend}) and moves on to the next link; when the batch invalidates the
     * old group, compiled code falls through the dead guard to it. No compiled code depends on a tail
     * before its guard dies, so setting it deoptimises nothing, as in {@link ChainedSite}; and since
     * the hop handles are shared, the JDK customizes one per group and binding, not one per function
     * (see {@link Hop}).
     *
     * <p>The links are made when the site links, {@link ChainedSite#MAX_HOPS} of them with a tail each
     * (a record's fields are final); when they are used up, the site is relinked whole.
     */
    static final class EntrySite extends MutableCallSite {
        private final MethodType innerType;
        /** The link whose tail the next switch sets; null before the first link. */
        private Hop current;
        private int hops;

        EntrySite(MethodType type) {
            super(type);
            this.innerType = type.erase();
        }

        int hops() {
            return hops;
        }

        /**
         * Sets the whole target, with fresh links, bound to {@code rec}'s binding behind {@code g}: a
         * {@code setTarget} that is cheap only while no compiled code depends on the site (a new one),
         * else one deoptimisation pass. Caller holds Ftrace's lock.
         */
        void link(PatchGroup g, DynFtrace rec) {
            HopShapes shapes = HopShapes.of(innerType);
            Hop head = null;
            for (int i = 0; i <= ChainedSite.MAX_HOPS; i++) { // the last link keeps the shared slow tail
                head = new Hop(rec.ip, rec, head == null ? shapes.lastTail : new MutableCallSite(shapes.slow), head);
            }
            setTarget(MethodHandles.insertArguments(g.hop(rec, innerType), 0, head).asType(type()));
            current = head;
            hops = 0;
        }

        /**
         * Prepares a switch to {@code rec}'s binding behind {@code g}, taking effect when the site's
         * current group is invalidated. @return false if the links are used up: the caller must
         * {@link #link} the site after the invalidation instead.
         */
        boolean extend(PatchGroup g, DynFtrace rec) {
            Hop h = current;
            if (h == null || h.next() == null) {
                return false;
            }
            ((MutableCallSite) h.tail()).setTarget(g.hop(rec, innerType));
            current = h.next();
            hops++;
            return true;
        }
    }

    /**
     * What every entry site of one erased type shares: the type of its hop handles
     * {@code (Hop, args...)Object}, the fallback through a link's tail, the slow path, and the last
     * link's tail.
     */
    static final class HopShapes {
        private static final java.util.concurrent.ConcurrentHashMap<MethodType, HopShapes> SHAPES =
                new java.util.concurrent.ConcurrentHashMap<>();

        final MethodType hopType;
        /** {@code (link, args) -> link.tail.target(next(link), args)}: the exact invoker reaches a shared hop. */
        final MethodHandle fallback;
        /** The slow path (reads the record's binding on each call): a tail's target until a switch sets it. */
        final MethodHandle slow;
        final MethodHandle nop;
        final CallSite lastTail;

        private HopShapes(MethodType erased) {
            hopType = erased.insertParameterTypes(0, Hop.class);
            MethodHandle invoke = MethodHandles.filterArguments(MethodHandles.exactInvoker(hopType), 1, HOP_NEXT);
            fallback = MethodHandles.foldArguments(invoke, HOP_TARGET);
            slow = collectAfterHop(SLOW_HOP, hopType);
            nop = MethodHandles.empty(hopType);
            lastTail = new ConstantCallSite(slow);
        }

        static HopShapes of(MethodType erased) {
            HopShapes s = SHAPES.get(erased);
            if (s == null) { // no lambda on the linking path
                HopShapes made = new HopShapes(erased);
                s = SHAPES.putIfAbsent(erased, made);
                s = s == null ? made : s;
            }
            return s;
        }
    }

    /** The hop handle of {@code binding} behind {@code g} for sites of erased type {@code e}. */
    static MethodHandle hop(PatchGroup g, DynFtrace rec, Object binding, MethodType e) {
        HopShapes shapes = HopShapes.of(e);
        return g.guardWithTest(hopBound(rec, binding, shapes), shapes.fallback);
    }

    /** A hop's target while its group is valid, {@code (Hop, args...)Object}, for {@code binding}. */
    private static MethodHandle hopBound(DynFtrace rec, Object binding, HopShapes shapes) {
        MethodType t = shapes.hopType;
        if (binding == OpsListFunc.NOP || !canServe(rec, binding, t)) {
            return shapes.nop;
        }
        if (binding instanceof DirectTarget) { // per function anyway: its handlers are typed for it
            try {
                return MethodHandles.dropArguments(((DirectTarget) binding).entryTarget(t.dropParameterTypes(0, 1)), 0, Hop.class);
            } catch (RuntimeException e) { // e.g. a handler naming a class of another loader
                FtraceLog.warn("cannot bind the direct call of " + rec.name + " exactly (" + e + "); it is called boxed");
                return shapes.slow;
            }
        }
        boolean regs = binding instanceof FtraceOps
                ? ((FtraceOps) binding).hasFlag(FtraceOps.FL_SAVE_REGS)
                : ((OpsListFunc) binding).saveRegs;
        if (regs) {
            return collectAfterHop(MethodHandles.insertArguments(ENTER_REGS_HOP, 0, binding), t);
        }
        MethodHandle byIp;
        if (binding instanceof FtraceOps) {
            // The callback is bound too: a constant receiver C2 can inline, where op.func would be a
            // load of a non-trusted final field and a call profiled by every ops of the JVM. So are the
            // flags and the exit the ops needs, which C2 then folds.
            FtraceOps op = (FtraceOps) binding;
            byte exitKind = op.retfunc == null ? Frame.EXIT_POP : Frame.EXIT_ONE;
            byIp = MethodHandles.insertArguments(CALL_OPS, 0, op, op.func, op.flags, exitKind);
        } else {
            byIp = MethodHandles.insertArguments(LIST_FUNC, 0, binding);
        }
        MethodHandle byHop = MethodHandles.filterArguments(byIp, 0, HOP_IP);
        return MethodHandles.dropArguments(byHop, 1, t.parameterList().subList(1, t.parameterCount()));
    }

    /**
     * Whether a site of hop type {@code t} can call {@code binding}: a bare entry ({@code ()Object}, no
     * arguments for a function that has some) cannot call an ops that takes them, nor a direct call,
     * until its class is planted again with them (the write that bound it waits for that).
     */
    private static boolean canServe(DynFtrace rec, Object binding, MethodType t) {
        return !needsDirectArgs(binding) || t.parameterCount() > 1 || !rec.hasEntryParameters(); // (Hop, args...)
    }

    /**
     * Whether a binding calls a direct handler, which cannot be called without the function's own
     * arguments. Ops with FL_SAVE_REGS can: at a bare entry (until the class is planted again) they
     * get no receiver and no arguments, and the other ops of the function lose nothing meanwhile.
     */
    private static boolean needsDirectArgs(Object binding) {
        return binding instanceof DirectTarget || binding instanceof OpsListFunc && ((OpsListFunc) binding).direct != null;
    }

    /** Adapts {@code h(Hop, Object[])Object} to {@code (Hop, args...)Object}, boxing the arguments. */
    private static MethodHandle collectAfterHop(MethodHandle h, MethodType hopType) {
        int n = hopType.parameterCount() - 1;
        if (n == 0) {
            return MethodHandles.insertArguments(h, 1, (Object) NO_ARGS).asType(hopType);
        }
        return h.asCollector(Object[].class, n).asType(hopType);
    }

    /**
     * An exit or throw site. Plain (the generic exit, which is right for every token) unless its
     * function has a direct exit handler; then chained like an entry site.
     */
    static final class ExitSite extends ChainedSite {
        final int ip;
        final boolean isThrow;

        ExitSite(MethodType type, int ip, boolean isThrow) {
            super(type, isThrow ? type.changeReturnType(void.class) : type);
            this.ip = ip;
            this.isThrow = isThrow;
        }

        @Override
        MethodHandle wrap(MethodHandle guarded) {
            return isThrow ? throwTarget(type(), guarded, ip) : guarded;
        }

        /** The plain target, with no guard: for functions without a direct exit handler. */
        void linkPlain() {
            setTarget(wrap(exitTarget(innerType(), isThrow)));
        }
    }

    /**
     * The generic exit of an exit site, right for every token. An exit site's target is this, or behind
     * the group's guard the function's direct exit handler for its own token with this as the fallback.
     */
    static MethodHandle genericExit(DynFtrace rec, ExitSite site) {
        return exitTarget(site.innerType(), site.isThrow);
    }

    /** The bound part of an exit site's target: the direct exit handler for its own token, else generic. */
    static MethodHandle boundExit(DynFtrace rec, ExitSite site) {
        MethodHandle generic = genericExit(rec, site);
        DirectTarget d = rec.direct();
        if (d != null && !d.h.isGeneric()) {
            try {
                return d.exitTarget(site.innerType(), site.isThrow, generic);
            } catch (RuntimeException e) { // e.g. a handler naming a class of another loader
                FtraceLog.warn("cannot bind the direct exit of " + rec.name + " exactly (" + e + "); it is called boxed");
            }
        }
        return generic;
    }

    /**
     * The catch-all's site {@code (Throwable, token)R}: a live patch's signal returns the replacement
     * value; anything else runs the exit callbacks ({@code exit}) and is rethrown, unchanged, from here.
     */
    private static MethodHandle throwTarget(MethodType type, MethodHandle exit, int ip) {
        Class<?> r = type.returnType();
        MethodHandle rethrow = MethodHandles.dropArguments(MethodHandles.throwException(r, Throwable.class), 1, Object.class);
        MethodHandle thrown = MethodHandles.foldArguments(rethrow, exit);
        MethodHandle replaced = MethodHandles.dropArguments(
                replacedTarget(MethodType.methodType(r, Throwable.class), ip), 1, Object.class);
        MethodHandle isReplaced = MethodHandles.dropArguments(IS_REPLACED, 1, Object.class);
        return MethodHandles.guardWithTest(isReplaced, replaced, thrown).asType(type);
    }

    static boolean isReplaced(Throwable t) {
        return t instanceof Replaced;
    }

    /**
     * The generic exit for an exit site's type: the exit method of exactly that value type, so the
     * site's target is one direct method handle (a reference value only widens to Object, which
     * {@code asType} does without an adapter). No bound arguments and no conversions: each would be
     * one more method handle for the JIT to inline at every return of every inlined method. Only the
     * throw site reports its value as thrown: a method may return a throwable, and an exception's
     * constructor passes its receiver.
     */
    static MethodHandle exitTarget(MethodType type, boolean isThrow) {
        MethodHandle h;
        if (type.parameterCount() == 1) {
            h = EXIT_V;
        } else {
            Class<?> r = type.parameterType(0);
            if (r == boolean.class) {
                h = EXIT_Z;
            } else if (r == byte.class) {
                h = EXIT_B;
            } else if (r == char.class) {
                h = EXIT_C;
            } else if (r == short.class) {
                h = EXIT_S;
            } else if (r == int.class) {
                h = EXIT_I;
            } else if (r == long.class) {
                h = EXIT_J;
            } else if (r == float.class) {
                h = EXIT_F;
            } else if (r == double.class) {
                h = EXIT_D;
            } else if (isThrow) {
                h = EXIT_T;
            } else {
                h = EXIT_L;
            }
        }
        return h.asType(type);
    }

    // ---------------------------------------------------------------------------------------------
    // The trampolines themselves. Everything they call is written not to throw; they catch nothing
    // here so that C2 sees the smallest possible code on the hot path.

    static Object callOps(FtraceOps op, FtraceFunc fn, int flags, byte exitKind, int ip) {
        return ThreadCtx.current().enterOne(op, fn, flags, exitKind, ip);
    }

    static Object listFunc(OpsListFunc list, int ip) {
        return ThreadCtx.current().enter(list, ip, null, null);
    }

    static Object enterRegs(Object binding, int ip, boolean hasReceiver, Object[] all) {
        Object receiver = null;
        Object[] args = all;
        if (hasReceiver && all.length > 0) { // none at a bare entry (see canServe)
            receiver = all[0];
            args = Arrays.copyOfRange(all, 1, all.length);
        }
        Frame f = ThreadCtx.current().enter(binding, ip, receiver, args);
        if (f != null && f.replaced) {
            throw f.direct.signal(f.replacement, f); // a live patch in the list path: skip the body
        }
        return f;
    }

    static Object enterRegsHop(Object binding, Hop h, Object[] all) {
        return enterRegs(binding, h.ip(), h.rec().hasReceiver, all);
    }

    static Object slowHop(Hop h, Object[] all) {
        return slow(h.rec(), all);
    }

    /**
     * The slow path: the target of a chain's tail until a switch sets it (reached only past the last
     * link, or if a tail's new target is not yet visible to a thread), a direct call that cannot be
     * bound exactly, and class files too old for invokedynamic. Reads the record's ops like arm64's
     * ftrace_caller reads the per-site literal.
     */
    static Object slow(DynFtrace rec, Object[] all) {
        Object b = rec.binding;
        if (b == OpsListFunc.NOP || (all.length == 0 && needsDirectArgs(b) && rec.hasEntryParameters())) {
            // a bare entry: see canServe
            return null;
        }
        if (b instanceof DirectTarget) {
            return ThreadCtx.current().enterDirect((DirectTarget) b, all);
        }
        boolean regs = b instanceof FtraceOps
                ? ((FtraceOps) b).hasFlag(FtraceOps.FL_SAVE_REGS)
                : ((OpsListFunc) b).saveRegs;
        if (regs) {
            return enterRegs(b, rec.ip, rec.hasReceiver, all);
        }
        return ThreadCtx.current().enter(b, rec.ip, null, null);
    }

    // Exits: (return value, token). A null token means the entry called nothing. Each tests the token
    // before anything else: while the function is not traced the entry returns a constant null, the
    // test folds, and the JIT never parses the rest, so a disabled exit costs its inlining budget
    // almost nothing (sites over a whole library).

    /** The exit of a call whose entry ran a direct ops alone: its exit handlers, boxed (the slow path). */
    private static void exitDirect(Object token, long bits, Object obj, Throwable thrown) {
        ThreadCtx.current().exitDirect((DirectTarget) token, bits, obj, thrown);
    }

    public static void exitV(Object token) {
        if (token != null) {
            exit(token, 0L, null, null);
        }
    }

    public static void exitZ(boolean ret, Object token) {
        if (token != null) {
            exit(token, ret ? 1L : 0L, null, null);
        }
    }

    public static void exitB(byte ret, Object token) {
        if (token != null) {
            exit(token, ret, null, null);
        }
    }

    public static void exitC(char ret, Object token) {
        if (token != null) {
            exit(token, ret, null, null);
        }
    }

    public static void exitS(short ret, Object token) {
        if (token != null) {
            exit(token, ret, null, null);
        }
    }

    public static void exitI(int ret, Object token) {
        if (token != null) {
            exit(token, ret, null, null);
        }
    }

    public static void exitJ(long ret, Object token) {
        if (token != null) {
            exit(token, ret, null, null);
        }
    }

    public static void exitF(float ret, Object token) {
        if (token != null) {
            exit(token, Float.floatToRawIntBits(ret), null, null);
        }
    }

    public static void exitD(double ret, Object token) {
        if (token != null) {
            exit(token, Double.doubleToRawLongBits(ret), null, null);
        }
    }

    public static void exitL(Object ret, Object token) {
        if (token != null) {
            exit(token, 0L, ret, null);
        }
    }

    public static void exitT(Throwable thrown, Object token) {
        if (token != null) {
            exit(token, 0L, null, thrown);
        }
    }

    /**
     * Every exit site's work, by the kind of exit the entry chose ({@link Frame#state}): the pop and
     * the one-ops exit are small enough for C2 to inline into the site; the general exit is a call.
     */
    private static void exit(Object token, long bits, Object obj, Throwable thrown) {
        if (token instanceof Frame) {
            Frame f = (Frame) token;
            byte k = f.state;
            if (k == Frame.EXIT_POP) {
                f.ctx.exitPop(f);
            } else if (k == Frame.EXIT_ONE) {
                f.ctx.exitOne(f, bits, obj, thrown);
            } else {
                f.ctx.exit(f, bits, obj, thrown);
            }
        } else {
            exitDirect(token, bits, obj, thrown);
        }
    }

    // The live-patch returns: (signal, ip) -> the replacement value. Anything else is rethrown.

    private static Replaced take(Throwable t, int ip) throws Throwable {
        if (!(t instanceof Replaced)) {
            throw t;
        }
        return (Replaced) t;
    }

    /** Runs the exit callbacks of the patched call's frame (ops tracing it besides the patch). */
    private static void replacedExit(Object token, int ip, long bits, Object obj) {
        if (token instanceof Frame) {
            Frame f = (Frame) token;
            f.ctx.exit(f, bits, obj, null);
        }
    }

    public static long replacedJ(Throwable t, int ip) throws Throwable {
        Replaced r = take(t, ip);
        long v = r.bits;
        Object tok = r.token;
        r.set(0L, null, null);
        replacedExit(tok, ip, v, null);
        return v;
    }

    public static float replacedF(Throwable t, int ip) throws Throwable {
        Replaced r = take(t, ip);
        long v = r.bits;
        Object tok = r.token;
        r.set(0L, null, null);
        replacedExit(tok, ip, v, null);
        return Float.intBitsToFloat((int) v);
    }

    public static double replacedD(Throwable t, int ip) throws Throwable {
        Replaced r = take(t, ip);
        long v = r.bits;
        Object tok = r.token;
        r.set(0L, null, null);
        replacedExit(tok, ip, v, null);
        return Double.longBitsToDouble(v);
    }

    public static Object replacedL(Throwable t, int ip) throws Throwable {
        Replaced r = take(t, ip);
        Object v = r.obj;
        Object tok = r.token;
        r.set(0L, null, null);
        replacedExit(tok, ip, 0L, v);
        return v;
    }

    public static void replacedV(Throwable t, int ip) throws Throwable {
        Replaced r = take(t, ip);
        Object tok = r.token;
        r.set(0L, null, null);
        replacedExit(tok, ip, 0L, null);
    }
}
