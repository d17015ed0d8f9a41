package org.jftrace.ftrace;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * A direct ops' handlers resolved for one function: the JVM's entry of the kernel's
 * {@code direct_functions} hash (ip to {@code direct_call}). It is also the binding of a function
 * traced by its direct ops alone, and the token that function's entry site returns when an exit
 * handler must pair with the entry.
 *
 * <h2>Pairing fexit with fentry without a frame</h2>
 * The entry site of a function traced only by this direct ops returns the constant {@code this} as
 * its token (null when there is no exit handler). Its exit sites are {@link java.lang.invoke.MutableCallSite}s relinked
 * in the same batch, behind the same group guard, as the entry site: their target is
 * {@code token == this ? exitHandler(ret) : genericExit(ret, token)}. Once C2 has inlined the entry,
 * the token is a constant and the test folds away: the exit handler is called exactly, with the
 * return value of its exact type. A call whose entry ran under another binding (a switch while it was
 * in flight) carries another token and takes the generic path, which calls what its own entry reached:
 * nothing (null), the ops of its frame ({@link Frame}), or an older DirectTarget's exit (boxed).
 * Immutable; a {@link Ftrace#modifyFtraceDirect} makes new ones.
 */
final class DirectTarget implements Binding {

    /** {@link #enterBoxed}'s answer when the original body must run. */
    static final Object KEEP = new Object();

    private static final MethodHandle SAME;
    private static final MethodHandle CALL_GENERIC;
    private static final MethodHandle THROW_J;
    private static final MethodHandle THROW_F;
    private static final MethodHandle THROW_D;
    private static final MethodHandle THROW_L;
    private static final MethodHandle THROW_V;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SAME = l.findStatic(DirectTarget.class, "same", MethodType.methodType(boolean.class, Object.class, Object.class));
            CALL_GENERIC = l.findStatic(DirectTarget.class, "callGeneric",
                    MethodType.methodType(void.class, DirectFunc.class, long.class, Object[].class));
            MethodType o = MethodType.methodType(Object.class);
            THROW_J = l.findStatic(DirectTarget.class, "throwJ", o.appendParameterTypes(long.class));
            THROW_F = l.findStatic(DirectTarget.class, "throwF", o.appendParameterTypes(float.class));
            THROW_D = l.findStatic(DirectTarget.class, "throwD", o.appendParameterTypes(double.class));
            THROW_L = l.findStatic(DirectTarget.class, "throwL", o.appendParameterTypes(Object.class));
            THROW_V = l.findStatic(DirectTarget.class, "throwV", o);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final FtraceOps op;
    final DynFtrace rec;
    final DirectCall.Handlers h;
    final String targetName;
    /** The method's return type descriptor ("V", "I", "Ljava/lang/String;"); the owner for constructors. */
    final String ret;

    // Boxed invokers, built on first use (the slow and list paths only). Racy but idempotent.
    private MethodHandle entrySpread;
    private MethodHandle testSpread;
    private MethodHandle replaceSpread;

    DirectTarget(FtraceOps op, DynFtrace rec, DirectCall.Handlers h, String targetName) {
        this.op = op;
        this.rec = rec;
        this.h = h;
        this.targetName = targetName;
        this.ret = rec.isConstructor() ? "L" + rec.ownerInternal() + ";" : rec.returnDescriptor();
    }

    /** The token the entry returns: this when an exit handler must pair with the entry, else null. */
    Object token() {
        return h.hasExit() ? this : null;
    }

    boolean patches() {
        return h.replace != null;
    }

    // ---------------------------------------------------------------------------------------------
    // Registration-time checks

    /** @return why {@code h} cannot serve {@code rec}, naming both types; null if it can. */
    static String check(DynFtrace rec, DirectCall.Handlers h, FtraceOps op) {
        if (h == null) {
            return "direct ops '" + op.name + "' has no handler for function " + rec.name;
        }
        if (h.replace != null) {
            if (!op.hasFlag(FtraceOps.FL_IPMODIFY)) {
                return "direct ops '" + op.name + "' replaces " + rec.name + " but lacks FL_IPMODIFY";
            }
            if (h.hasExit()) {
                return "direct ops '" + op.name + "': a live patch cannot also have an fexit handler (" + rec.name + ")";
            }
            if (rec.legacy) {
                return "function " + rec.name + " is in a class file older than version 51: it cannot be live-patched";
            }
            if (rec.isConstructor()) {
                return "function " + rec.name + " is a constructor: it cannot be live-patched";
            }
        }
        if (h.isGeneric()) {
            return null;
        }
        List<String> params = rec.entryParameterDescriptors();
        String want = "(" + String.join("", params) + ")";
        String fn = "function " + rec.name + (rec.hasReceiver ? " (receiver first)" : "");
        String e = checkParams("fentry", h.entry, params, fn, want + "<any>");
        if (e == null) {
            e = checkParams("live-patch test", h.test, params, fn, want + "Z");
        }
        if (e == null) {
            e = checkParams("live-patch replacement", h.replace, params, fn, want + rec.returnDescriptor());
        }
        if (e == null && h.replace != null && !h.replace.type().returnType().descriptorString().equals(rec.returnDescriptor())) {
            e = "live-patch replacement type " + h.replace.type().toMethodDescriptorString()
                    + " does not match " + fn + ": it must return " + rec.returnDescriptor();
        }
        if (e == null && h.test != null && h.test.type().returnType() != boolean.class) {
            e = "live-patch test type " + h.test.type().toMethodDescriptorString() + " does not match " + fn
                    + ": it must return boolean";
        }
        String retDesc = rec.isConstructor() ? "L" + rec.ownerInternal() + ";" : rec.returnDescriptor();
        List<String> exitParams = retDesc.equals("V") ? List.of() : List.of(retDesc);
        if (e == null) {
            e = checkParams("fexit", h.exit, exitParams, "function " + rec.name, "(" + String.join("", exitParams) + ")<any>");
        }
        if (e == null) {
            e = checkParams("fexit (throw)", h.thrown, List.of("Ljava/lang/Throwable;"), "function " + rec.name,
                    "(Ljava/lang/Throwable;)<any>");
        }
        return e == null ? null : "direct ops '" + op.name + "': " + e;
    }

    private static String checkParams(String what, MethodHandle mh, List<String> want, String fn, String wantType) {
        if (mh == null) {
            return null;
        }
        MethodType t = mh.type();
        boolean ok = t.parameterCount() == want.size();
        for (int i = 0; ok && i < want.size(); i++) {
            Class<?> c = t.parameterType(i);
            String w = want.get(i);
            ok = c.descriptorString().equals(w)
                    || (!c.isPrimitive() && (w.startsWith("L") || w.startsWith("[")) && accepts(c, w));
        }
        return ok ? null : what + " handler type " + t.toMethodDescriptorString() + " does not match " + fn
                + ", which needs " + wantType;
    }

    /** A reference parameter may be Object, or Throwable for a Throwable subclass. */
    private static boolean accepts(Class<?> c, String w) {
        return c == Object.class || (c == Throwable.class && w.equals("Ljava/lang/Throwable;"));
    }

    /** Parses a descriptor's parameter list into one descriptor per parameter. */
    static List<String> parameterDescriptors(String desc) {
        List<String> out = new ArrayList<>();
        int i = 1;
        while (desc.charAt(i) != ')') {
            int s = i;
            while (desc.charAt(i) == '[') {
                i++;
            }
            if (desc.charAt(i) == 'L') {
                i = desc.indexOf(';', i);
            }
            i++;
            out.add(desc.substring(s, i));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // The exact hot path

    /** The target of an entry site {@code (receiver?, args...)Object} for a function this ops alone traces. */
    MethodHandle entryTarget(MethodType site) {
        List<Class<?>> ps = site.parameterList();
        MethodHandle core = MethodHandles.dropArguments(MethodHandles.constant(Object.class, token()), 0, ps);
        if (h.replace != null) {
            MethodHandle r = h.replace.asType(site.changeReturnType(h.replace.type().returnType()));
            MethodHandle thrower;
            char k = ret.charAt(0);
            if (k == 'V') {
                thrower = MethodHandles.filterReturnValue(r, THROW_V);
            } else if (k == 'F') {
                thrower = MethodHandles.filterReturnValue(r, THROW_F);
            } else if (k == 'D') {
                thrower = MethodHandles.filterReturnValue(r, THROW_D);
            } else if (k == 'L' || k == '[') {
                thrower = MethodHandles.filterReturnValue(r.asType(r.type().changeReturnType(Object.class)), THROW_L);
            } else {
                r = MethodHandles.explicitCastArguments(r, r.type().changeReturnType(long.class));
                thrower = MethodHandles.filterReturnValue(r, THROW_J);
            }
            core = h.test == null ? thrower
                    : MethodHandles.guardWithTest(h.test.asType(site.changeReturnType(boolean.class)), thrower, core);
        }
        MethodHandle entry = null;
        if (h.entry != null) {
            entry = MethodHandles.dropReturn(h.entry.asType(site.changeReturnType(h.entry.type().returnType())));
        } else if (h.genericEntry != null) {
            MethodHandle g = MethodHandles.insertArguments(CALL_GENERIC, 0, h.genericEntry, (long) rec.ip);
            entry = ps.isEmpty() ? MethodHandles.insertArguments(g, 0, (Object) new Object[0])
                    : g.asCollector(Object[].class, ps.size()).asType(site.changeReturnType(void.class));
        }
        return entry == null ? core : MethodHandles.foldArguments(core, entry);
    }

    /**
     * The target of an exit site {@code (R, Object)V} / {@code (Object)V} / {@code (Throwable, Object)V}
     * bound while this is the function's binding: the exact handler when the token is this, else
     * {@code generic}.
     */
    MethodHandle exitTarget(MethodType site, boolean isThrow, MethodHandle generic) {
        MethodHandle handler = isThrow ? h.thrown : h.exit;
        if (handler == null) {
            return generic;
        }
        int tok = site.parameterCount() - 1;
        MethodHandle exact = MethodHandles.dropReturn(handler.asType(site.dropParameterTypes(tok, tok + 1)
                .changeReturnType(handler.type().returnType())));
        exact = MethodHandles.dropArguments(exact, tok, Object.class);
        MethodHandle isMe = MethodHandles.insertArguments(SAME, 1, this);
        isMe = MethodHandles.dropArguments(isMe, 0, site.parameterList().subList(0, tok));
        return MethodHandles.guardWithTest(isMe, exact, generic);
    }

    static boolean same(Object a, Object b) {
        return a == b;
    }

    static void callGeneric(DirectFunc f, long ip, Object[] args) {
        f.call(ip, args);
    }

    // The live patch's throw: the value rides in the thread's preallocated signal.

    static Object throwJ(long v) {
        throw ThreadCtx.current().signal.set(v, null, null);
    }

    static Object throwF(float v) {
        throw ThreadCtx.current().signal.set(Float.floatToRawIntBits(v), null, null);
    }

    static Object throwD(double v) {
        throw ThreadCtx.current().signal.set(Double.doubleToRawLongBits(v), null, null);
    }

    static Object throwL(Object v) {
        throw ThreadCtx.current().signal.set(0L, v, null);
    }

    static Object throwV() {
        throw ThreadCtx.current().signal.set(0L, null, null);
    }

    // ---------------------------------------------------------------------------------------------
    // The boxed path: the slow path of a batch, the list path, and legacy class files

    /**
     * Calls the entry handlers with boxed arguments ({@code all}: receiver first).
     * @return {@link #KEEP} to run the original body, else the boxed replacement value
     */
    Object enterBoxed(Object[] all) throws Throwable {
        int n = all.length;
        if (h.genericEntry != null) {
            h.genericEntry.call(rec.ip, all);
        } else if (h.entry != null) {
            MethodHandle s = entrySpread;
            if (s == null) {
                s = entrySpread = spread(h.entry, n);
            }
            Object ignored = (Object) s.invokeExact(all);
        }
        if (h.replace == null) {
            return KEEP;
        }
        if (h.test != null) {
            MethodHandle t = testSpread;
            if (t == null) {
                t = testSpread = spread(h.test, n);
            }
            if (!(Boolean) (Object) t.invokeExact(all)) {
                return KEEP;
            }
        }
        MethodHandle r = replaceSpread;
        if (r == null) {
            r = replaceSpread = spread(h.replace, n);
        }
        return (Object) r.invokeExact(all);
    }

    private static MethodHandle spread(MethodHandle mh, int n) {
        return mh.asType(MethodType.genericMethodType(n)).asSpreader(Object[].class, n);
    }

    /** Calls the exit handlers with the boxed return value (raw bits as the exit sites pass them). */
    void exitBoxed(long bits, Object obj, Throwable thrown) throws Throwable {
        if (thrown != null) {
            if (h.thrown != null) {
                h.thrown.asType(MethodType.methodType(void.class, Throwable.class)).invokeExact(thrown);
            } else if (h.genericExit != null) {
                h.genericExit.ret(rec.ip, null, thrown);
            }
            return;
        }
        Object boxed = box(ret, bits, obj);
        if (h.exit != null) {
            if (ret.equals("V")) {
                h.exit.asType(MethodType.methodType(void.class)).invokeExact();
            } else {
                h.exit.asType(MethodType.methodType(void.class, Object.class)).invokeExact(boxed);
            }
        } else if (h.genericExit != null) {
            h.genericExit.ret(rec.ip, boxed, null);
        }
    }

    /** Boxes a value of descriptor {@code d} kept as raw bits (or as an object); null for void. */
    static Object box(String d, long bits, Object obj) {
        char k = d.charAt(0);
        return k == 'V' ? null : Frame.box(k, bits, obj);
    }

    /** The raw bits of a boxed primitive replacement value (0 for references and void). */
    static long bitsOf(Object v) {
        if (v instanceof Boolean) {
            return (Boolean) v ? 1 : 0;
        }
        if (v instanceof Character) {
            return (Character) v;
        }
        if (v instanceof Float) {
            return Float.floatToRawIntBits((Float) v);
        }
        if (v instanceof Double) {
            return Double.doubleToRawLongBits((Double) v);
        }
        if (v instanceof Number) {
            return ((Number) v).longValue();
        }
        return 0L;
    }

    /** Fills the thread's signal with a boxed replacement value for a method returning {@link #ret}. */
    Replaced signal(Object value, Object token) {
        char k = ret.charAt(0);
        boolean ref = k == 'L' || k == '[';
        return ThreadCtx.current().signal.set(ref ? 0L : bitsOf(value), ref ? value : null, token);
    }

    // Binding: the direct ops alone.

    @Override
    public FtraceOps[] ops() {
        return new FtraceOps[] {op};
    }

    @Override
    public DirectTarget direct() {
        return this;
    }

    @Override
    public boolean savesRegs() {
        return true;
    }

    @Override
    public String opsColumn() {
        return op.name;
    }

    @Override
    public String toString() {
        return op.name + "-->" + targetName;
    }
}
