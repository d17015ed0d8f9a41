package org.jftrace.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The tracing options {@code record} and {@code attach} share (a picocli mixin), and their translation
 * into agent options: each is the control-file write a user would make (see README's table).
 */
final class TracingOptions {

    @Option(names = {"-p", "--tracer"}, paramLabel = "TRACER", defaultValue = "function_graph",
            description = "function_graph (default), function or nop.")
    String tracer;

    @Option(names = "-l", paramLabel = "FILTER", description = "set_ftrace_filter: functions to trace (ftrace globs; repeatable).")
    List<String> filters = new ArrayList<>();

    @Option(names = "-n", paramLabel = "NOTRACE", description = "set_ftrace_notrace: functions not to trace (repeatable).")
    List<String> notrace = new ArrayList<>();

    @Option(names = "-g", paramLabel = "GRAPH_FUNC", description = "set_graph_function: graph only what these call (repeatable).")
    List<String> graph = new ArrayList<>();

    @Option(names = "--max-depth", paramLabel = "N", description = "max_graph_depth.")
    Integer maxDepth;

    @Option(names = "--thresh", paramLabel = "DURATION", description = "tracing_thresh, e.g. 100us, 2ms (plain numbers are microseconds).")
    String thresh;

    @Option(names = "--include", paramLabel = "CLASS_GLOB",
            description = "Classes to instrument (default: all outside the JDK; a glob naming a JDK package, such as"
                    + " 'java.util.*', gives the JDK's classes sites; repeatable).")
    List<String> include = new ArrayList<>();

    @Option(names = "--function-profile", description = "function_profile_enabled: count and time each function "
            + "(trace_stat/function), beside the tracer (-p nop for the profiler alone).")
    boolean functionProfile;

    @Option(names = "--yes", description = "Trace even when the filters select more than 5,000 functions.")
    boolean yes;

    @Option(names = "-O", paramLabel = "OPTION", description = "A trace option, e.g. funcgraph-tail or nofuncgraph-duration (repeatable).")
    List<String> traceOptions = new ArrayList<>();

    @Option(names = "--clock", paramLabel = "CLOCK", description = "trace_clock: mono (default), counter (one global count: total order) or local_counter (a count per thread: cheapest).")
    String clock;

    @Option(names = "--buffer-size-kb", paramLabel = "KB", description = "buffer_size_kb per thread.")
    Integer bufferSizeKb;

    /** The package roots of the JDK, under which an include names JDK classes (as the agent decides). */
    private static final List<String> JDK_ROOTS = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

    /**
     * A note for a filter that names JDK functions while no include names a JDK package: those
     * functions have no sites, and the filter would quietly select nothing. Null when there is none.
     */
    String jdkFilterNote() {
        for (String i : include) {
            if (namesJdk(i)) {
                return null;
            }
        }
        for (String f : filters) {
            for (String tok : f.trim().split("\\s+")) {
                if (namesJdk(tok)) {
                    String pkg = tok.lastIndexOf('.') > 0 ? tok.substring(0, tok.lastIndexOf('.')) : tok;
                    return "jftrace: note: '" + tok + "' names JDK functions, which get sites only from an include"
                            + " naming their package (e.g. --include '" + pkg.replaceAll("\\.[A-Z].*$", "") + ".*')";
                }
            }
        }
        return null;
    }

    private static boolean namesJdk(String glob) {
        for (String r : JDK_ROOTS) {
            if (glob.startsWith(r)) {
                return true;
            }
        }
        return false;
    }

    /** tracing_thresh in nanoseconds (the mono clock's unit); 0 when not set. */
    long threshNanos() {
        return thresh == null ? 0 : Math.multiplyExact(Durations.micros(thresh), 1000L);
    }

    @Option(names = "--args-strlen", paramLabel = "N",
            description = "func_args_strlen: characters of a string argument or return value kept (default 32, at most 128).")
    Integer argsStrlen;

    /** The agent options for these settings, the tracer last; the caller appends its own. */
    List<String> agentOptions() {
        String note = jdkFilterNote();
        if (note != null) {
            System.err.println(note);
        }
        List<String> o = new ArrayList<>();
        for (String i : include) {
            o.add("include=" + i);
        }
        split(o, "filter", filters);
        split(o, "notrace", notrace);
        split(o, "graph_function", graph);
        if (maxDepth != null) {
            o.add("max_graph_depth=" + maxDepth);
        }
        if (thresh != null) {
            o.add("tracing_thresh=" + Durations.micros(thresh));
        }
        if (argsStrlen != null) {
            o.add("func_args_strlen=" + argsStrlen);
        }
        for (String t : traceOptions) {
            o.add("trace_options=" + t);
        }
        if (clock != null) {
            o.add("clock=" + clock);
        }
        if (bufferSizeKb != null) {
            o.add("buffer_size_kb=" + bufferSizeKb);
        }
        if (yes) {
            o.add("yes=1");
        }
        if (functionProfile) {
            o.add("function_profile_enabled=1");
        }
        o.add("tracer=" + tracer);
        return o;
    }

    /** Joins agent options; a comma inside one cannot be passed. @throws CliError naming it */
    static String join(List<String> options) {
        for (String s : options) {
            if (s.indexOf(',') >= 0) {
                throw new CliError("a comma cannot be passed to the agent: '" + s + "'", 2);
            }
        }
        return String.join(",", options);
    }

    private static void split(List<String> o, String key, List<String> values) {
        for (String v : values) {
            for (String tok : v.trim().split("\\s+")) {
                if (!tok.isEmpty()) {
                    o.add(key + "=" + tok);
                }
            }
        }
    }
}
