package org.jftrace.ftrace;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;

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
final class EntrySite extends MutableCallSite {
    private static final Object[] NO_ARGS = new Object[0];
    private static final MethodHandle CALL_OPS;
    private static final MethodHandle LIST_FUNC;
    /** Entry chains (see {@link Hop}): a link's ip, its tail's target, the link after it. */
    private static final MethodHandle HOP_IP;
    private static final MethodHandle HOP_TARGET;
    private static final MethodHandle HOP_NEXT;
    private static final MethodHandle SLOW_HOP;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            MethodType obj = MethodType.methodType(Object.class);
            CALL_OPS = l.findStatic(EntryTrampoline.class, "callOps",
                    obj.appendParameterTypes(FtraceOps.class, FtraceFunc.class, int.class, byte.class, int.class));
            LIST_FUNC = l.findStatic(EntryTrampoline.class, "listFunc",
                    obj.appendParameterTypes(OpsListFunc.class, int.class));
            HOP_IP = l.findVirtual(Hop.class, "ip", MethodType.methodType(int.class));
            HOP_TARGET = MethodHandles.filterReturnValue(
                    l.findVirtual(Hop.class, "tail", MethodType.methodType(CallSite.class)),
                    l.findVirtual(CallSite.class, "getTarget", MethodType.methodType(MethodHandle.class)));
            HOP_NEXT = l.findStatic(Hop.class, "next", MethodType.methodType(Hop.class, Hop.class));
            SLOW_HOP = l.findStatic(EntryTrampoline.class, "slowHop", obj.appendParameterTypes(Hop.class, Object[].class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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

    // ---------------------------------------------------------------------------------------------
    // The targets an entry site is bound to, through its group's hop handle

    /** The hop handle of {@code binding} behind {@code g} for sites of erased type {@code e}. */
    static MethodHandle hop(PatchGroup g, DynFtrace rec, Binding binding, MethodType e) {
        HopShapes shapes = HopShapes.of(e);
        return g.guardWithTest(hopBound(rec, binding, shapes), shapes.fallback);
    }

    /** A hop's target while its group is valid, {@code (Hop, args...)Object}, for {@code binding}. */
    private static MethodHandle hopBound(DynFtrace rec, Binding binding, HopShapes shapes) {
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
        if (binding.savesRegs()) {
            return MethodHandles.insertArguments(shapes.savedArgs(), 0, binding);
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
    private static boolean canServe(DynFtrace rec, Binding binding, MethodType t) {
        return !needsDirectArgs(binding) || t.parameterCount() > 1 || !rec.hasEntryParameters(); // (Hop, args...)
    }

    /**
     * Whether a binding calls a direct handler, which cannot be called without the function's own
     * arguments. Ops with FL_SAVE_REGS can: at a bare entry (until the class is planted again) they
     * get no receiver and no arguments, and the other ops of the function lose nothing meanwhile.
     */
    static boolean needsDirectArgs(Binding binding) {
        return binding.direct() != null;
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
        /** {@link SavedArgs#entry}, made when a binding with saved arguments first reaches this type. */
        private volatile MethodHandle savedArgs;

        private HopShapes(MethodType erased) {
            hopType = erased.insertParameterTypes(0, Hop.class);
            MethodHandle invoke = MethodHandles.filterArguments(MethodHandles.exactInvoker(hopType), 1, HOP_NEXT);
            fallback = MethodHandles.foldArguments(invoke, HOP_TARGET);
            slow = collectAfterHop(SLOW_HOP, hopType);
            nop = MethodHandles.empty(hopType);
            lastTail = new ConstantCallSite(slow);
        }

        /** {@code (Binding, Hop, args...)Object}: the typed entry of a binding with saved arguments. */
        MethodHandle savedArgs() {
            MethodHandle h = savedArgs;
            if (h == null) { // racy: every thread makes an equivalent one
                h = savedArgs = SavedArgs.entry(hopType);
            }
            return h;
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
}
