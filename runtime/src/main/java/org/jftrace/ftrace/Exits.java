package org.jftrace.ftrace;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The exits, {@code return_to_handler}'s work: {@code (return value, token)}, one per value type. An
 * exit site's target is one of them (see {@link ExitSite}); class files too old for invokedynamic
 * call them by name. Public for those.
 */
public final class Exits {

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

    static {
        try {
            EXIT_V = MethodHandles.lookup().findStatic(Exits.class, "exitV", MethodType.methodType(void.class, Object.class));
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
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Exits() {
    }

    private static MethodHandle exitOf(String name, Class<?> value) throws ReflectiveOperationException {
        return MethodHandles.lookup().findStatic(Exits.class, name, MethodType.methodType(void.class, value, Object.class));
    }

    /**
     * The generic exit for an exit site's type: the exit method of exactly that value type, so the
     * site's target is one direct method handle (a reference value only widens to Object, which
     * {@code asType} does without an adapter). No bound arguments and no conversions: each would be
     * one more method handle for the JIT to inline at every return of every inlined method. Only the
     * throw site reports its value as thrown: a method may return a throwable, and an exception's
     * constructor passes its receiver.
     */
    static MethodHandle target(MethodType type, boolean isThrow) {
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
}
