package org.jftrace.trace;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The instance's {@code options/} directory (trace_options): boolean switches, by ftrace's names.
 */
public final class TraceOptions {

    /** Option name to its default, in the order trace_options lists them. */
    private static final Map<String, Boolean> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("overwrite", true);
        DEFAULTS.put("funcgraph-proc", false);
        DEFAULTS.put("funcgraph-abstime", false);
        DEFAULTS.put("funcgraph-duration", true);
        DEFAULTS.put("funcgraph-tail", false);
        DEFAULTS.put("funcgraph-retval", false);
        DEFAULTS.put("funcgraph-retval-hex", false);
        DEFAULTS.put("funcgraph-args", false);
        DEFAULTS.put("func-args", false);
        DEFAULTS.put("funcgraph-cpu", true);
        DEFAULTS.put("funcgraph-overhead", true);
        DEFAULTS.put("sym-descriptor", false);
        DEFAULTS.put("graph-time", true);
    }

    private final Map<String, Boolean> values = new LinkedHashMap<>(DEFAULTS);

    /** graph-time, read by the profiler on every return. */
    volatile boolean graphTime = true;

    /**
     * Whether the option changes what a tracer's callbacks record (so a running tracer registers its
     * ops again with other callbacks), not only how records print: with these off the callbacks are
     * the plain ones, and cost what they cost without the options.
     */
    static boolean choosesCallbacks(String name) {
        return name.equals("func-args") || name.equals("funcgraph-args") || name.equals("funcgraph-retval");
    }

    public static boolean exists(String name) {
        return DEFAULTS.containsKey(name);
    }

    public static Iterable<String> names() {
        return DEFAULTS.keySet();
    }

    public synchronized boolean get(String name) {
        Boolean b = values.get(name);
        if (b == null) {
            throw new IllegalArgumentException("unknown option '" + name + "'");
        }
        return b;
    }

    synchronized void set(String name, boolean value) {
        if (!DEFAULTS.containsKey(name)) {
            throw new IllegalArgumentException("unknown option '" + name + "'");
        }
        values.put(name, value);
        if (name.equals("graph-time")) {
            graphTime = value;
        }
    }

    /** trace_options: each option, prefixed with "no" when off. */
    public synchronized String show() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(v ? "" : "no").append(k).append('\n'));
        return sb.toString();
    }
}
