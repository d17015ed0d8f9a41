package org.jftrace.ftrace;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * FL_SAVE_REGS without boxing: the entry of an ops that takes the arguments, built per erased site
 * type as direct calls are built per function ({@link DirectTarget}), from method handles typed for
 * the site's parameters.
 *
 * <p>The hop handle of such a binding, {@code (Hop, p0..pm-1)Object}, is
 * <pre>
 *   f = ThreadCtx.current().argFrame(m)     the frame the call will be activated in
 *   f.argBits[i] = bits(pi)   or   f.argRefs[i] = pi      one typed store per parameter
 *   return enterSaved(binding, kinds, f, hop)
 * </pre>
 * so a primitive is stored as its raw bits and a reference as it is: nothing is boxed, and no array
 * is made per call. Why the frame and not one set of slots per thread: the values must live until the
 * call's exit (a return callback may read them) and must not be overwritten by a traced call that a
 * callback makes (it takes a deeper frame); a frame is both, preallocated per depth. The slots are
 * written before the ops are asked whether they take the call, so a call none takes drops them again
 * ({@link ThreadCtx#enter}); the exit drops them with the frame ({@link Frame#deactivate}): a reused
 * frame keeps no argument reachable.
 *
 * <p>Every parameter of the site is saved, the receiver first (slot 0) for an instance method: the
 * erased type is shared by static and instance methods, and {@link Regs#arg} must reach any argument,
 * not only the six the tracers print. A frame's slots start at {@link #SLOTS} (the receiver, six
 * arguments and one to know there are more) and grow once per larger arity at that depth.
 *
 * <p>The slow path (a tail not yet switched, a direct call bound boxed) and class files too old for
 * invokedynamic ({@link LegacySites}) still collect the arguments into an {@code Object[]}: those
 * paths are boxed anyway, and {@link #storeBoxed} unboxes into the same slots.
 */
final class SavedArgs {

    /** Slots a frame starts with: the receiver, the six arguments the tracers print, one to know there are more. */
    static final int SLOTS = 8;
    /** The kinds of a site that passes nothing: a bare entry, or a function without receiver or arguments. */
    static final char[] NO_KINDS = Frame.NO_KINDS;

    private static final MethodHandle ARG_FRAME;
    private static final MethodHandle ENTER_SAVED;
    private static final MethodHandle PUT_Z;
    private static final MethodHandle PUT_I;
    private static final MethodHandle PUT_J;
    private static final MethodHandle PUT_F;
    private static final MethodHandle PUT_D;
    private static final MethodHandle PUT_L;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ARG_FRAME = l.findStatic(SavedArgs.class, "argFrame", MethodType.methodType(Frame.class, int.class));
            ENTER_SAVED = l.findStatic(EntryTrampoline.class, "enterSaved",
                    MethodType.methodType(Object.class, Binding.class, char[].class, Frame.class, Hop.class));
            PUT_Z = put(l, "putZ", boolean.class);
            PUT_I = put(l, "putI", int.class);
            PUT_J = put(l, "putJ", long.class);
            PUT_F = put(l, "putF", float.class);
            PUT_D = put(l, "putD", double.class);
            PUT_L = put(l, "putL", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private SavedArgs() {
    }

    private static MethodHandle put(MethodHandles.Lookup l, String name, Class<?> type) throws ReflectiveOperationException {
        return l.findStatic(SavedArgs.class, name, MethodType.methodType(void.class, Frame.class, int.class, type));
    }

    /**
     * The entry of a binding with saved arguments for sites of hop type {@code (Hop, p0..pm-1)Object},
     * with the binding still to insert first: {@code (Binding, Hop, p0..pm-1)Object}. Made once per
     * erased type ({@link EntrySite.HopShapes}).
     */
    static MethodHandle entry(MethodType hopType) {
        List<Class<?>> ps = hopType.parameterList().subList(1, hopType.parameterCount());
        int m = ps.size();
        // (Binding, Frame, Hop, p...)Object
        MethodHandle t = MethodHandles.dropArguments(MethodHandles.insertArguments(ENTER_SAVED, 1, (Object) kinds(ps)), 3, ps);
        for (int i = 0; i < m; i++) {
            // (Frame, Hop, p0..pi)void, folded in at the Frame: stores pi, then calls the rest
            MethodHandle put = MethodHandles.insertArguments(put(ps.get(i)), 1, i);
            put = MethodHandles.dropArguments(put, 1, hopType.parameterList().subList(0, i + 1));
            t = MethodHandles.foldArguments(t, 1, put);
        }
        // the frame, first of all: (Binding, Hop, p...)Object
        return MethodHandles.foldArguments(t, 1, MethodHandles.insertArguments(ARG_FRAME, 0, m));
    }

    /** The store of one parameter of erased type {@code c}: {@code (Frame, int slot, c)void}. */
    private static MethodHandle put(Class<?> c) {
        if (c == boolean.class) {
            return PUT_Z;
        }
        if (c == byte.class || c == short.class || c == char.class) { // widened to int: sign- or zero-extended as bits want
            return PUT_I.asType(MethodType.methodType(void.class, Frame.class, int.class, c));
        }
        if (c == int.class) {
            return PUT_I;
        }
        if (c == long.class) {
            return PUT_J;
        }
        if (c == float.class) {
            return PUT_F;
        }
        if (c == double.class) {
            return PUT_D;
        }
        return PUT_L.asType(MethodType.methodType(void.class, Frame.class, int.class, c));
    }

    /** The kind of each parameter of an erased site type: its descriptor char, {@code 'L'} for any reference. */
    static char[] kinds(List<Class<?>> erased) {
        if (erased.isEmpty()) {
            return NO_KINDS;
        }
        char[] k = new char[erased.size()];
        for (int i = 0; i < k.length; i++) {
            Class<?> c = erased.get(i);
            k[i] = c.isPrimitive() ? c.descriptorString().charAt(0) : 'L';
        }
        return k;
    }

    /**
     * The kinds of an entry site's parameters: the receiver's (if any), then those of method descriptor
     * {@code desc}. Called on the traced thread before it enters the trampoline: it calls no JDK
     * method outside {@code java.lang} (which is never traced), so no traced JDK method is reached.
     */
    static char[] kindsOf(boolean receiver, String desc) {
        char[] k = new char[(receiver ? 1 : 0) + desc.length()]; // at least one char per parameter
        int n = 0;
        if (receiver) {
            k[n++] = 'L';
        }
        for (int i = 1; desc.charAt(i) != ')'; i++) {
            char c = desc.charAt(i);
            k[n++] = c == '[' || c == 'L' ? 'L' : c;
            while (desc.charAt(i) == '[') {
                i++;
            }
            if (desc.charAt(i) == 'L') {
                i = desc.indexOf(';', i);
            }
        }
        if (n == 0) {
            return NO_KINDS;
        }
        char[] out = new char[n];
        System.arraycopy(k, 0, out, 0, n);
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // The hot path: what the handles of entry() call

    static Frame argFrame(int m) {
        return ThreadCtx.current().argFrame(m);
    }

    static void putZ(Frame f, int i, boolean v) {
        f.argBits[i] = v ? 1L : 0L;
    }

    static void putI(Frame f, int i, int v) {
        f.argBits[i] = v;
    }

    static void putJ(Frame f, int i, long v) {
        f.argBits[i] = v;
    }

    static void putF(Frame f, int i, float v) {
        f.argBits[i] = Float.floatToRawIntBits(v); // as Exits keeps a float return
    }

    static void putD(Frame f, int i, double v) {
        f.argBits[i] = Double.doubleToRawLongBits(v);
    }

    static void putL(Frame f, int i, Object v) {
        f.argRefs[i] = v;
    }

    // ---------------------------------------------------------------------------------------------
    // Boxed: the slow and legacy paths in, Regs.arg and the list path's direct call out

    /** Stores boxed site parameters {@code all} of kinds {@code k} into {@code f}'s slots (room made by argFrame). */
    static void storeBoxed(Frame f, char[] k, Object[] all) {
        for (int j = 0; j < k.length; j++) {
            Object o = all[j];
            if (k[j] == 'L') {
                f.argRefs[j] = o;
            } else {
                f.argBits[j] = bits(k[j], o);
            }
        }
    }

    /** The raw bits of box {@code o} of a primitive of kind {@code k}. */
    static long bits(char k, Object o) {
        switch (k) {
            case 'Z':
                return o instanceof Boolean && (Boolean) o ? 1L : 0L;
            case 'C':
                return o instanceof Character ? (Character) o : 0L;
            case 'F':
                return o instanceof Float ? Float.floatToRawIntBits((Float) o) : 0L;
            case 'D':
                return o instanceof Double ? Double.doubleToRawLongBits((Double) o) : 0L;
            default: // B S I J
                return o instanceof Number ? ((Number) o).longValue() : 0L;
        }
    }
}
