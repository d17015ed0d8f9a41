package org.jftrace.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.jftrace.filter.FilterException;
import org.jftrace.filter.FilterHash;
import org.jftrace.filter.FilterParser;
import org.jftrace.filter.FilterRule;
import org.jftrace.filter.Glob;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.PidFilter;
import org.jftrace.ring.TraceBuffer;
import org.jftrace.ring.TraceClock;

/**
 * The control files, by tracefs's names: what {@code cat FILE} and {@code echo VALUE > FILE} do on
 * {@code /sys/kernel/tracing}, for this JVM. Paths are relative to the tracing root, e.g.
 * {@code current_tracer}, {@code options/funcgraph-tail}, {@code instances/web/trace}.
 *
 * <p>Every write is validated whole before anything changes: a bad write throws
 * {@link TracefsException} with a one-line message naming the bad token, and the settings in force
 * stay in force.
 */
public final class Tracefs {

    private static final Tracefs JVM = new Tracefs();

    /** Files of an instance, in the order a listing shows them. */
    public static final List<String> FILES = List.of("available_tracers", "current_tracer", "tracing_on",
            "set_ftrace_filter", "set_ftrace_notrace", "set_graph_function", "set_graph_notrace",
            "max_graph_depth", "tracing_thresh", "func_args_strlen", "set_ftrace_pid", "buffer_size_kb", "trace_clock", "trace",
            "trace_marker", "trace_pipe", "trace_options", "available_filter_functions", "enabled_functions", "snapshot",
            "function_profile_enabled", "trace_stat/function");

    /**
     * A filter selecting more functions than this gets a note with a control write's answer, and an
     * attach is refused without {@code --yes} ({@code -Djftrace.manyFunctions} in the traced JVM sets it).
     */
    public static final int MANY_FUNCTIONS = Integer.getInteger("jftrace.manyFunctions", 5000);

    private final TraceInstance top = new TraceInstance("");
    private final Map<String, TraceInstance> instances = new TreeMap<>();
    private final Map<String, Tracer> tracers = new TreeMap<>();
    /** While the agent applies its startup options, {@code mod:} may name modules not loaded yet. */
    private volatile boolean startup;

    Tracefs() {
        register(NopTracer.INSTANCE);
        register(new FunctionTracer());
        register(new FunctionGraphTracer());
    }

    /** @return the JVM's tracing root. */
    public static Tracefs jvm() {
        return JVM;
    }

    private void register(Tracer t) {
        tracers.put(t.name(), t);
    }

    public TraceInstance top() {
        return top;
    }

    public void setStartup(boolean s) {
        startup = s;
    }

    /** mkdir instances/NAME. */
    public synchronized TraceInstance mkdirInstance(String name) {
        if (name.isEmpty() || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new TracefsException("bad instance name '" + name + "'");
        }
        if (instances.containsKey(name)) {
            throw new TracefsException("instance '" + name + "' exists");
        }
        TraceInstance ti = new TraceInstance(name);
        instances.put(name, ti);
        return ti;
    }

    /** rmdir instances/NAME. */
    public synchronized void rmdirInstance(String name) {
        TraceInstance ti = instances.remove(name);
        if (ti == null) {
            throw new TracefsException("no instance '" + name + "'");
        }
        ti.close();
    }

    private synchronized TraceInstance instanceOf(String[] path) {
        if (path.length >= 3 && path[0].equals("instances")) {
            TraceInstance ti = instances.get(path[1]);
            if (ti == null) {
                throw new TracefsException("no instance '" + path[1] + "'");
            }
            return ti;
        }
        return top;
    }

    /**
     * The instance a path belongs to: {@code instances/NAME/FILE} names instance NAME, any other path
     * the top level. For readers that work on an instance rather than a file ({@code trace_pipe}).
     */
    public TraceInstance instanceFor(String path) {
        return instanceOf(split(path));
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.split("/");
    }

    private static String file(String[] path) {
        if (path.length >= 3 && path[0].equals("instances")) {
            return String.join("/", java.util.Arrays.copyOfRange(path, 2, path.length));
        }
        return String.join("/", path);
    }

    // ---------------------------------------------------------------------------------------------

    /** {@code cat FILE}. */
    public String read(String path) {
        String[] p = split(path);
        if (p.length == 1 && p[0].equals("instances")) {
            synchronized (this) {
                return String.join("\n", instances.keySet()) + (instances.isEmpty() ? "" : "\n");
            }
        }
        TraceInstance ti = instanceOf(p);
        String f = file(p);
        switch (f) {
            case "available_tracers":
                return String.join(" ", tracers.keySet()) + "\n";
            case "current_tracer":
                return ti.tracer.name() + "\n";
            case "tracing_on":
                return (ti.tracingOn ? "1" : "0") + "\n";
            case "set_ftrace_filter":
                return FilterHash.empty().with(ti.filterRules(), true, Ftrace.records()).show(Ftrace.records())
                        + ti.commands.show();
            case "set_ftrace_notrace":
                return showNotrace(FilterHash.empty().with(ti.notraceRules(), true, Ftrace.records()));
            case "set_graph_function":
                return ti.graphFunctions.show(Ftrace.records());
            case "set_graph_notrace":
                return showNotrace(ti.graphNotrace);
            case "max_graph_depth":
                return ti.maxGraphDepth + "\n";
            case "tracing_thresh":
                return (ti.tracingThresh / 1000) + "\n";
            case "func_args_strlen":
                return ti.argsStrlen + "\n";
            case "set_ftrace_pid":
                return ti.pidText().isEmpty() ? "no pid\n" : ti.pidText() + "\n";
            case "buffer_size_kb":
                return ti.buffers.bufferSizeKb() + "\n";
            case "trace_clock":
                return TraceClock.listing(ti.clock) + "\n";
            case "trace":
                return TraceOutput.trace(ti, ti.buffers.snapshot());
            case "trace_options":
                return ti.options.show();
            case "trace_pipe":
                return readPipe(ti, 10_000);
            case "snapshot": {
                List<org.jftrace.ring.TraceRecord> snap = ti.snapshot();
                if (snap == null) {
                    return "# tracer: " + ti.tracer.name() + "\n#\n# * Snapshot is freed *\n#\n"
                            + "# Snapshot commands:\n# echo 0 > snapshot : Clears and frees snapshot buffer\n"
                            + "# echo 1 > snapshot : Takes a snapshot of the main buffer.\n";
                }
                return TraceOutput.trace(ti, snap);
            }
            case "function_profile_enabled":
                return (ti.profiler.enabled() ? "1" : "0") + "\n";
            case "trace_stat/function":
                return ti.profiler.stat();
            case "available_filter_functions":
                Ftrace.discover(null);
                return Ftrace.records().availableFilterFunctions();
            case "enabled_functions":
                return Ftrace.enabledFunctions();
            case "trace_marker":
                throw new TracefsException("trace_marker is write-only");
            default:
                if (f.startsWith("options/") && TraceOptions.exists(f.substring(8))) {
                    return (ti.options.get(f.substring(8)) ? "1" : "0") + "\n";
                }
                throw new TracefsException("no such file '" + path + "'");
        }
    }

    /**
     * Consumes up to {@code max} records of trace_pipe that are there now, formatted one per line (a
     * plain read of trace_pipe; a client that wants to block and stream uses {@link #pipe}).
     */
    public static String readPipe(TraceInstance ti, int max) {
        StringBuilder sb = new StringBuilder();
        for (org.jftrace.ring.TraceRecord r : TracePipeText.drainWhole(ti.pipe(), new java.util.ArrayList<>(), max)) {
            sb.append(TraceOutput.pipeLine(ti, r));
        }
        return sb.toString();
    }

    /** The instance at {@code path} ("" or "instances/NAME"), for streaming readers. */
    public TraceInstance instance(String path) {
        String[] p = split(path.isEmpty() ? "x" : path + "/x");
        return instanceOf(p);
    }

    private static String showNotrace(FilterHash h) {
        return h.isEmpty() ? "" : h.show(Ftrace.records());
    }

    /** {@code echo VALUE > FILE} ({@code append} false) or {@code echo VALUE >> FILE} (true). */
    public void write(String path, String value, boolean append) {
        String[] p = split(path);
        TraceInstance ti = instanceOf(p);
        String f = file(p);
        String v = value == null ? "" : value.strip();
        synchronized (ti) {
            switch (f) {
                case "current_tracer": {
                    Tracer t = tracers.get(v);
                    if (t == null) {
                        throw new TracefsException("current_tracer: unknown tracer '" + v + "' (available: "
                                + String.join(" ", tracers.keySet()) + ")");
                    }
                    ti.setTracer(t);
                    return;
                }
                case "tracing_on":
                    ti.tracingOn = parseBool(f, v);
                    return;
                case "set_ftrace_filter": {
                    List<FilterRule> all = parseRules(f, value, true);
                    List<FilterRule> rules = new ArrayList<>();
                    for (FilterRule r : all) {
                        if (r.kind() != FilterRule.Kind.COMMAND) {
                            rules.add(r);
                        }
                    }
                    if (rules.size() < all.size()) { // commands are their own ops: the filter stays
                        ti.commands.apply(all);
                        if (rules.isEmpty()) {
                            return;
                        }
                    }
                    ti.setFilters(append ? TraceInstance.concat(ti.filterRules(), rules) : rules, ti.notraceRules());
                    return;
                }
                case "set_ftrace_notrace": {
                    List<FilterRule> rules = parseRules(f, value);
                    ti.setFilters(ti.filterRules(), append ? TraceInstance.concat(ti.notraceRules(), rules) : rules);
                    return;
                }
                case "set_graph_function":
                    ti.setGraphHashes(parseRules(f, value), !append, null, false);
                    return;
                case "set_graph_notrace":
                    ti.setGraphHashes(null, false, parseRules(f, value), !append);
                    return;
                case "max_graph_depth":
                    ti.setMaxGraphDepth((int) parseNonNegative(f, v, Integer.MAX_VALUE));
                    return;
                case "tracing_thresh":
                    ti.setTracingThresh(parseNonNegative(f, v, Long.MAX_VALUE / 1000) * 1000);
                    return;
                case "func_args_strlen":
                    ti.argsStrlen = (int) parseNonNegative(f, v, ArgEncoder.MAX_STRLEN);
                    return;
                case "set_ftrace_pid":
                    setPid(ti, v, append);
                    return;
                case "buffer_size_kb": {
                    long kb = parseNonNegative(f, v, 1 << 20);
                    if (kb == 0) {
                        throw new TracefsException("buffer_size_kb: size must be positive, got '" + v + "'");
                    }
                    ti.buffers.setBufferSizeKb((int) kb);
                    return;
                }
                case "trace_clock": {
                    TraceClock c;
                    try {
                        c = TraceClock.byName(v);
                    } catch (IllegalArgumentException e) {
                        throw new TracefsException("trace_clock: unknown clock '" + v + "' (available: " + TraceClock.listing(null) + ")");
                    }
                    ti.clock = c;
                    ti.buffers.setClock(c);
                    return;
                }
                case "trace":
                    if (!append) {
                        ti.buffers.reset();
                    }
                    return;
                case "snapshot":
                    if (v.equals("1")) {
                        ti.takeSnapshot();
                    } else if (v.equals("0") || v.equals("2")) {
                        ti.clearSnapshot();
                    } else {
                        throw new TracefsException("snapshot: expected 0, 1 or 2, got '" + v + "'");
                    }
                    return;
                case "function_profile_enabled":
                    if (parseBool(f, v)) {
                        ti.profiler.enable();
                    } else {
                        ti.profiler.disable();
                    }
                    return;
                case "trace_stat/function":
                    ti.profiler.reset(); // any write clears the counters
                    return;
                case "trace_marker":
                    TraceBuffer mb = ti.buffers.current();
                    mb.writeMarker(ti.clock.now(mb), value == null ? "" : value.replace("\n", " ").strip());
                    return;
                case "trace_options": {
                    boolean on = !v.startsWith("no");
                    String name = on ? v : v.substring(2);
                    if (!TraceOptions.exists(name)) {
                        throw new TracefsException("trace_options: unknown option '" + v + "'");
                    }
                    setOption(ti, name, on);
                    return;
                }
                default:
                    if (f.startsWith("options/")) {
                        String name = f.substring(8);
                        if (!TraceOptions.exists(name)) {
                            throw new TracefsException("no such file '" + path + "'");
                        }
                        setOption(ti, name, parseBool(f, v));
                        return;
                    }
                    if (FILES.contains(f)) {
                        throw new TracefsException(f + " is read-only");
                    }
                    throw new TracefsException("no such file '" + path + "'");
            }
        }
    }

    private static void setOption(TraceInstance ti, String name, boolean on) {
        boolean was = ti.options.get(name);
        ti.options.set(name, on);
        if (name.equals("overwrite")) {
            ti.buffers.setOverwrite(on);
        }
        if (was != on && TraceOptions.choosesCallbacks(name)) {
            ti.callbacksChanged(name);
        }
    }

    private List<FilterRule> parseRules(String file, String text) {
        return parseRules(file, text, false);
    }

    private List<FilterRule> parseRules(String file, String text, boolean commandsAllowed) {
        List<FilterRule> rules;
        try {
            rules = FilterParser.parse(text == null ? "" : text, Ftrace.records(), startup);
        } catch (FilterException e) {
            throw new TracefsException(file + ": " + e.getMessage());
        }
        if (commandsAllowed) {
            FilterCommands.check(rules);
            return rules;
        }
        for (FilterRule r : rules) {
            if (r.kind() == FilterRule.Kind.COMMAND) {
                throw new TracefsException(file + ": commands such as '" + r.text()
                        + "' belong in set_ftrace_filter");
            }
        }
        return rules;
    }

    private static boolean parseBool(String file, String v) {
        if (v.equals("1")) {
            return true;
        }
        if (v.equals("0")) {
            return false;
        }
        throw new TracefsException(file + ": expected 0 or 1, got '" + v + "'");
    }

    private static long parseNonNegative(String file, String v, long max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new TracefsException(file + ": not a number: '" + v + "'");
        }
        if (n < 0) {
            throw new TracefsException(file + ": must not be negative: '" + v + "'");
        }
        if (n > max) {
            throw new TracefsException(file + ": too large: '" + v + "'");
        }
        return n;
    }

    /**
     * set_ftrace_pid: thread ids and thread-name globs, separated by white space. A token with no letter
     * and no glob character is a thread id: it must be a decimal number naming a live platform thread
     * (a typo such as {@code -7}, {@code 12,13} or a dead thread's id would otherwise trace nothing).
     * While the agent applies its startup options, ids are not checked: the threads may not exist yet.
     * Appending checks only the new tokens; the ones in force were checked when written.
     */
    private void setPid(TraceInstance ti, String v, boolean append) {
        String text = append && !ti.pidText().isEmpty() ? (ti.pidText() + " " + v).strip() : v;
        if (text.isEmpty()) {
            ti.setPidFilter(null, "");
            return;
        }
        long[] live = startup || v.isEmpty() ? null : LiveThreads.ids();
        List<Long> ids = new ArrayList<>();
        List<Glob> names = new ArrayList<>();
        int checkFrom = text.length() - v.length(); // the tokens of this write start here
        int at = 0;
        for (String tok : text.split("\\s+")) {
            at = text.indexOf(tok, at);
            boolean written = at >= checkFrom;
            at += tok.length();
            if (isThreadId(tok)) {
                long id = threadId(tok);
                if (written && live != null && Arrays.binarySearch(live, id) < 0) {
                    throw new TracefsException("set_ftrace_pid: no live thread with id '" + tok + "'");
                }
                ids.add(id);
            } else {
                try {
                    names.add(Glob.compile(tok));
                } catch (FilterException e) {
                    throw new TracefsException("set_ftrace_pid: " + e.getMessage());
                }
            }
        }
        long[] a = ids.stream().mapToLong(Long::longValue).toArray();
        Predicate<String> byName = names.isEmpty() ? null : n -> names.stream().anyMatch(g -> g.matches(n));
        ti.setPidFilter(new PidFilter(a, byName, text), text);
    }

    /** A token meant as a thread id: no letter and no glob character (a name glob has at least one). */
    private static boolean isThreadId(String tok) {
        return tok.chars().noneMatch(c -> Character.isLetter(c) || c == '*' || c == '?' || c == '[' || c == ']');
    }

    private static long threadId(String tok) {
        if (!tok.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new TracefsException("set_ftrace_pid: bad thread id '" + tok + "' (expected a number of 0 or more)");
        }
        try {
            return Long.parseLong(tok);
        } catch (NumberFormatException e) {
            throw new TracefsException("set_ftrace_pid: bad thread id '" + tok + "' (too large)");
        }
    }
}
