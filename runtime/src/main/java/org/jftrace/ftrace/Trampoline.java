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
    /** The boxed-arguments entry for any binding (FL_SAVE_REGS): one ops or a list. */
    private static final MethodHandle ENTER_REGS;
    private static final MethodHandle SLOW;
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
                    obj.appendParameterTypes(FtraceOps.class, FtraceFunc.class, int.class));
            LIST_FUNC = LOOKUP.findStatic(Trampoline.class, "listFunc",
                    obj.appendParameterTypes(OpsListFunc.class, int.class));
            ENTER_REGS = LOOKUP.findStatic(Trampoline.class, "enterRegs",
                    obj.appendParameterTypes(Object.class, int.class, boolean.class, Object[].class));
            SLOW = LOOKUP.findStatic(Trampoline.class, "slow",
                    obj.appendParameterTypes(DynFtrace.class, Object[].class));
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
     * A method's entry site. Caches its slow path (which never changes) and its last bound target, so a
     * switch that leaves its binding alone (a bystander in a patch group) builds no method handle.
     *
     * <p>Its chain (guards, tails, bound targets) has the site's erased type (references as Object):
     * only the link views it at the site's type, once, so a switch builds no type adapter per site, and
     * sites of different reference types share method-handle shapes. The view costs nothing compiled:
     * the arguments only widen.
     */
    static final class EntrySite extends ChainedSite {
        private MethodHandle slow;
        private Object boundFor;
        private Object boundForDirect;
        private MethodHandle bound;

        EntrySite(MethodType type) {
            super(type, type.erase());
        }

        @Override
        MethodHandle wrap(MethodHandle guarded) {
            return guarded.asType(type());
        }

        MethodHandle slow(DynFtrace rec) {
            if (slow == null) {
                slow = slowTarget(rec, innerType());
            }
            return slow;
        }

        MethodHandle bound(DynFtrace rec) {
            Object b = rec.binding;
            Object d = rec.direct();
            if (bound == null || b != boundFor || d != boundForDirect) {
                bound = boundTarget(rec, b, innerType());
                boundFor = b;
                boundForDirect = d;
            }
            return bound;
        }
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
            setTarget(wrap(exitTarget(innerType())));
        }
    }

    /**
     * The generic exit of an exit site, right for every token. An exit site's target is this, or behind
     * the group's guard the function's direct exit handler for its own token with this as the fallback.
     */
    static MethodHandle genericExit(DynFtrace rec, ExitSite site) {
        return exitTarget(site.innerType());
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
     * one more method handle for the JIT to inline at every return of every inlined method.
     */
    static MethodHandle exitTarget(MethodType type) {
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
            } else if (Throwable.class.isAssignableFrom(r)) {
                h = EXIT_T;
            } else {
                h = EXIT_L;
            }
        }
        return h.asType(type);
    }

    // ---------------------------------------------------------------------------------------------
    // Targets

    /** The target of an entry site for {@code binding}, not yet guarded. */
    static MethodHandle boundTarget(DynFtrace rec, Object binding, MethodType type) {
        if (binding == OpsListFunc.NOP) {
            return template(type, NOP_TEMPLATE).asType(type);
        }
        if (binding instanceof DirectTarget) {
            try {
                return ((DirectTarget) binding).entryTarget(type);
            } catch (RuntimeException e) { // e.g. a handler naming a class of another loader
                FtraceLog.warn("cannot bind the direct call of " + rec.name + " exactly (" + e + "); it is called boxed");
                return collect(MethodHandles.insertArguments(SLOW, 0, rec), type);
            }
        }
        if (binding instanceof FtraceOps) {
            FtraceOps op = (FtraceOps) binding;
            if (op.hasFlag(FtraceOps.FL_SAVE_REGS)) {
                return collect(MethodHandles.insertArguments(ENTER_REGS, 0, op, rec.ip, rec.hasReceiver), type);
            }
            // The callback is bound too: a constant receiver C2 can inline, where op.func would be a
            // load of a non-trusted final field and a call profiled by every ops of the JVM.
            // type is the chain's erased type (EntrySite.innerType), the key of the ops' cache
            MethodHandle withOps = op.callOpsTargets.computeIfAbsent(type, e -> MethodHandles.insertArguments(
                    template(e, CALL_OPS_TEMPLATE), e.parameterCount(), op, op.func));
            return MethodHandles.insertArguments(withOps, type.parameterCount(), rec.ip).asType(type);
        }
        OpsListFunc list = (OpsListFunc) binding;
        if (list.saveRegs) {
            return collect(MethodHandles.insertArguments(ENTER_REGS, 0, list, rec.ip, rec.hasReceiver), type);
        }
        return MethodHandles.insertArguments(template(type, LIST_FUNC_TEMPLATE), type.parameterCount(), list, rec.ip)
                .asType(type);
    }

    private static final int NOP_TEMPLATE = 0;
    private static final int CALL_OPS_TEMPLATE = 1;
    private static final int LIST_FUNC_TEMPLATE = 2;
    /**
     * Per erased site type: the nop, and CALL_OPS and the list func with the site's arguments dropped
     * in front. A switch then binds the ops (and ip) to a template and views it at the site's type
     * ({@code asType} from erased references needs no adapter), where building the drop for every site
     * made and interned a new MethodType each time: a fifth of a 10,000-function batch in a profile.
     */
    private static final java.util.concurrent.ConcurrentHashMap<MethodType, MethodHandle[]> TEMPLATES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static MethodHandle template(MethodType type, int which) {
        return TEMPLATES.computeIfAbsent(type.erase(), e -> new MethodHandle[] {
            MethodHandles.empty(e),
            MethodHandles.dropArguments(CALL_OPS, 0, e.parameterList()),
            MethodHandles.dropArguments(LIST_FUNC, 0, e.parameterList()),
        })[which];
    }

    /** The slow path of an entry site (the chain's initial fallback): reads the record's ops on each call. */
    static MethodHandle slowTarget(DynFtrace rec, MethodType type) {
        return collect(MethodHandles.insertArguments(SLOW, 0, rec), type);
    }

    /** Adapts {@code h(Object[])Object} to the site's type, boxing the arguments into the array. */
    private static MethodHandle collect(MethodHandle h, MethodType type) {
        int n = type.parameterCount();
        if (n == 0) {
            return MethodHandles.insertArguments(h, 0, (Object) NO_ARGS).asType(type);
        }
        return h.asCollector(Object[].class, n).asType(type);
    }

    // The trampolines themselves. Everything they call is written not to throw; they catch nothing
    // here so that C2 sees the smallest possible code on the hot path.

    static Object callOps(FtraceOps op, FtraceFunc fn, int ip) {
        return ThreadCtx.current().enterOne(op, fn, ip);
    }

    static Object listFunc(OpsListFunc list, int ip) {
        return ThreadCtx.current().enter(list, ip, null, null);
    }

    static Object enterRegs(Object binding, int ip, boolean hasReceiver, Object[] all) {
        Object receiver = null;
        Object[] args = all;
        if (hasReceiver) {
            receiver = all[0];
            args = Arrays.copyOfRange(all, 1, all.length);
        }
        Frame f = ThreadCtx.current().enter(binding, ip, receiver, args);
        if (f != null && f.replaced) {
            throw f.direct.signal(f.replacement, f); // a live patch in the list path: skip the body
        }
        return f;
    }

    /**
     * The slow path: runs between a batch's guard invalidation and the relink of the site, and for
     * class files too old for invokedynamic. Reads the record's ops like arm64's ftrace_caller reads the
     * per-site literal.
     */
    static Object slow(DynFtrace rec, Object[] all) {
        Object b = rec.binding;
        if (b == OpsListFunc.NOP) {
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
    // almost nothing (issue 2: sites over a whole library).

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
     * Every exit site's work, by the kind of exit the entry chose ({@link Frame#exitKind}): the pop and
     * the one-ops exit are small enough for C2 to inline into the site; the general exit is a call.
     */
    private static void exit(Object token, long bits, Object obj, Throwable thrown) {
        if (token instanceof Frame) {
            Frame f = (Frame) token;
            byte k = f.exitKind;
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
