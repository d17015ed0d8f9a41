package org.jftrace.ftrace;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The live-patch returns: a replaced call's body never runs; its entry throws the thread's
 * {@link Replaced} signal, and the method's catch-all site turns it into the replacement value
 * ({@code (signal, ip) -> value}) after the exit callbacks of the ops that trace the call besides the
 * patch. Any other throwable is rethrown, unchanged.
 */
final class ReplacedReturns {

    private static final MethodHandle REPLACED_J;
    private static final MethodHandle REPLACED_F;
    private static final MethodHandle REPLACED_D;
    private static final MethodHandle REPLACED_L;
    private static final MethodHandle REPLACED_V;
    private static final MethodHandle IS_REPLACED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            MethodType th = MethodType.methodType(void.class, Throwable.class, int.class);
            REPLACED_J = l.findStatic(ReplacedReturns.class, "replacedJ", th.changeReturnType(long.class));
            REPLACED_F = l.findStatic(ReplacedReturns.class, "replacedF", th.changeReturnType(float.class));
            REPLACED_D = l.findStatic(ReplacedReturns.class, "replacedD", th.changeReturnType(double.class));
            REPLACED_L = l.findStatic(ReplacedReturns.class, "replacedL", th.changeReturnType(Object.class));
            REPLACED_V = l.findStatic(ReplacedReturns.class, "replacedV", th);
            IS_REPLACED = l.findStatic(ReplacedReturns.class, "isReplaced", MethodType.methodType(boolean.class, Throwable.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ReplacedReturns() {
    }

    /**
     * The catch-all's site {@code (Throwable, token)R}: a live patch's signal returns the replacement
     * value; anything else runs the exit callbacks ({@code exit}) and is rethrown, unchanged, from here.
     */
    static MethodHandle throwTarget(MethodType type, MethodHandle exit, int ip) {
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
