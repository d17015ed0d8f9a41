package org.jftrace.ftrace;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Member;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a direct ops calls: the JVM's {@code ops->direct_call}, the address a BPF fentry/fexit
 * trampoline or a livepatch hands to {@code register_ftrace_direct}. Immutable; register it with
 * {@link Ftrace#registerFtraceDirect}, swap it with {@link Ftrace#modifyFtraceDirect}.
 *
 * <h2>Exact handlers (no boxing, no arrays, no allocation)</h2>
 * For a method {@code R m(A1, ..., An)} of class {@code C}:
 * <ul>
 *   <li>{@link #entry fentry}: {@code (C, A1, ..., An)} (the receiver only for instance methods and
 *       constructors); any return type, dropped. When the function is traced by this ops alone, the
 *       entry site's target <em>is</em> this handle (plus a constant token), so C2 inlines it into the
 *       traced method: the JVM's "call the direct trampoline straight from the call site".</li>
 *   <li>{@link #andExit fexit}: {@code (R)} at each normal return ({@code ()} for void methods, the
 *       constructed object for constructors).</li>
 *   <li>{@link #andThrow fexit on the exceptional exit}: {@code (Throwable)}.</li>
 *   <li>{@link #replace live patch} (needs {@link FtraceOps#FL_IPMODIFY}): {@code (C, A1, ..., An)R}
 *       runs in place of the body and its result is what the caller gets; with
 *       {@link #replaceIf} a test {@code (C, A1, ..., An)boolean} chooses per call whether the
 *       replacement or the original body runs. Not for constructors, nor for class files older than
 *       version 51.</li>
 * </ul>
 * A reference parameter may be declared as its exact type or as {@code Object}; primitives, the
 * replacement's return type and the parameter count must match exactly. A mismatch is reported at
 * registration, naming both types, and nothing is registered.
 *
 * <h2>Generic handlers (boxing)</h2>
 * {@link #generic} takes one {@link DirectFunc} / {@link DirectRetFunc} for functions of any type.
 * It is the only form that boxes: the arguments arrive in a fresh {@code Object[]} (receiver first),
 * the return value boxed. Use it for a DIRECT_CALLS_MULTI ops over many functions of different types.
 *
 * <h2>One ops, many functions (DIRECT_CALLS_MULTI)</h2>
 * The ops' filter chooses the functions. A DirectCall built with {@link #forFunction} holds one
 * handler set per function name (as in available_filter_functions) and optionally a default
 * ({@link #otherwise}); every function the ops covers must find one.
 */
public final class DirectCall {

    /** The handlers for one function (or for every function, as a default). */
    static final class Handlers {
        final MethodHandle entry;
        final MethodHandle exit;
        final MethodHandle thrown;
        final MethodHandle test;
        final MethodHandle replace;
        final DirectFunc genericEntry;
        final DirectRetFunc genericExit;

        Handlers(MethodHandle entry, MethodHandle exit, MethodHandle thrown, MethodHandle test, MethodHandle replace,
                 DirectFunc genericEntry, DirectRetFunc genericExit) {
            this.entry = entry;
            this.exit = exit;
            this.thrown = thrown;
            this.test = test;
            this.replace = replace;
            this.genericEntry = genericEntry;
            this.genericExit = genericExit;
        }

        boolean isGeneric() {
            return genericEntry != null || genericExit != null;
        }

        boolean hasExit() {
            return exit != null || thrown != null || genericExit != null;
        }
    }

    private final Handlers common;
    private final Map<String, DirectCall> byFunction;
    private final String name;

    private DirectCall(Handlers common, Map<String, DirectCall> byFunction, String name) {
        this.common = common;
        this.byFunction = byFunction;
        this.name = name;
    }

    private static DirectCall of(Handlers h) {
        return new DirectCall(h, Map.of(), null);
    }

    /** An fentry handler: {@code (receiver?, args...)}, any return type (dropped). */
    public static DirectCall entry(MethodHandle fentry) {
        return of(new Handlers(Objects.requireNonNull(fentry, "fentry"), null, null, null, null, null, null));
    }

    /** An fexit handler only: {@code (R)}, {@code ()} for void, the receiver for constructors. */
    public static DirectCall exit(MethodHandle fexit) {
        return of(new Handlers(null, Objects.requireNonNull(fexit, "fexit"), null, null, null, null, null));
    }

    /** A live patch: {@code (receiver?, args...)R} runs instead of the body. Needs FL_IPMODIFY. */
    public static DirectCall replace(MethodHandle replacement) {
        return of(new Handlers(null, null, null, null, Objects.requireNonNull(replacement, "replacement"), null, null));
    }

    /**
     * A conditional live patch: when {@code test(receiver?, args...)} is true the replacement runs
     * instead of the body, otherwise the original body runs. Needs FL_IPMODIFY.
     */
    public static DirectCall replaceIf(MethodHandle test, MethodHandle replacement) {
        return of(new Handlers(null, null, null, Objects.requireNonNull(test, "test"),
                Objects.requireNonNull(replacement, "replacement"), null, null));
    }

    /**
     * Generic handlers for functions of any type. They box: {@code fentry} gets a new {@code Object[]}
     * of the receiver (if any) and the arguments, {@code fexit} the boxed return value or the
     * throwable. Either may be null (not both).
     */
    public static DirectCall generic(DirectFunc fentry, DirectRetFunc fexit) {
        if (fentry == null && fexit == null) {
            throw new IllegalArgumentException("a generic direct call needs fentry or fexit");
        }
        return of(new Handlers(null, null, null, null, null, fentry, fexit));
    }

    /** A DIRECT_CALLS_MULTI call with no default yet: add functions with {@link #forFunction}. */
    public static DirectCall multi() {
        return new DirectCall(null, Map.of(), null);
    }

    /** Adds an fentry handler to an exact call. */
    public DirectCall andEntry(MethodHandle fentry) {
        Handlers h = single("andEntry");
        return new DirectCall(new Handlers(Objects.requireNonNull(fentry, "fentry"), h.exit, h.thrown, h.test,
                h.replace, null, null), byFunction, name);
    }

    /** Adds an fexit handler for normal returns to an exact call. */
    public DirectCall andExit(MethodHandle fexit) {
        Handlers h = single("andExit");
        return new DirectCall(new Handlers(h.entry, Objects.requireNonNull(fexit, "fexit"), h.thrown, h.test,
                h.replace, null, null), byFunction, name);
    }

    /** Adds an fexit handler for exceptional exits, {@code (Throwable)}, to an exact call. */
    public DirectCall andThrow(MethodHandle fthrow) {
        Handlers h = single("andThrow");
        return new DirectCall(new Handlers(h.entry, h.exit, Objects.requireNonNull(fthrow, "fthrow"), h.test,
                h.replace, null, null), byFunction, name);
    }

    /** DIRECT_CALLS_MULTI: the handlers for the function named {@code function} (e.g. {@code a.B.m(I)I}). */
    public DirectCall forFunction(String function, DirectCall handlers) {
        if (handlers.common == null || !handlers.byFunction.isEmpty()) {
            throw new IllegalArgumentException("forFunction takes a single-function DirectCall");
        }
        Map<String, DirectCall> m = new LinkedHashMap<>(byFunction);
        m.put(Objects.requireNonNull(function, "function"), handlers);
        return new DirectCall(common, Collections.unmodifiableMap(m), name);
    }

    /** DIRECT_CALLS_MULTI: the handlers for every covered function that has none of its own. */
    public DirectCall otherwise(DirectCall handlers) {
        if (handlers.common == null || !handlers.byFunction.isEmpty()) {
            throw new IllegalArgumentException("otherwise takes a single-function DirectCall");
        }
        return new DirectCall(handlers.common, byFunction, name);
    }

    /** The name shown after {@code direct-->} in enabled_functions (default: the handler's method). */
    public DirectCall named(String targetName) {
        return new DirectCall(common, byFunction, Objects.requireNonNull(targetName, "targetName"));
    }

    private Handlers single(String what) {
        if (common == null || !byFunction.isEmpty()) {
            throw new IllegalStateException(what + " applies to a single-function DirectCall");
        }
        if (common.isGeneric()) {
            throw new IllegalStateException(what + " cannot be mixed with generic handlers");
        }
        return common;
    }

    /** @return the handlers for function {@code functionName}, or null if it has none. */
    Handlers handlersFor(String functionName) {
        DirectCall d = byFunction.get(functionName);
        return d != null ? d.common : common;
    }

    /** @return whether some handler set replaces the body (a live patch). */
    boolean patches() {
        if (common != null && common.replace != null) {
            return true;
        }
        for (DirectCall d : byFunction.values()) {
            if (d.common.replace != null) {
                return true;
            }
        }
        return false;
    }

    /** The text after {@code direct-->} for the function. */
    String targetName(String functionName) {
        DirectCall d = byFunction.get(functionName);
        if (d != null && d.name != null) {
            return d.name;
        }
        if (name != null) {
            return name;
        }
        Handlers h = d != null ? d.common : common;
        if (h == null) {
            return "?";
        }
        MethodHandle mh = h.replace != null ? h.replace : h.entry != null ? h.entry : h.exit != null ? h.exit : h.thrown;
        if (mh == null) {
            Object g = h.genericEntry != null ? h.genericEntry : h.genericExit;
            return g.getClass().getName();
        }
        try {
            Member m = MethodHandles.reflectAs(Member.class, mh);
            return m.getDeclaringClass().getName() + "." + m.getName();
        } catch (RuntimeException notDirect) {
            return mh.toString();
        }
    }
}
