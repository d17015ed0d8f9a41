package org.jftrace.agent;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jftrace.control.AttachHandler;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.JdkSites;
import org.jftrace.trace.Tracefs;

/**
 * {@code jftrace attach}: instruments the loaded classes an attach selects, then starts tracing with
 * its options; detaching puts the instance back (tracer nop, tracing off, filters cleared, settings
 * as before), so no ops stays registered and every site is the no-op again.
 *
 * <p>Loaded classes get their sites by retransformation, many classes per
 * {@link Instrumentation#retransformClasses} call ({@value Planter#BATCH}): in a JVM whose agent was loaded
 * late, HotSpot's first redefinition deoptimises all compiled code, and every call is a safepoint
 * operation, so one call per class would repeat that cost thousands of times. A batch that fails is
 * split in halves until the class that fails is found and reported; unmodifiable classes (hidden
 * classes such as lambdas) are reported and left alone. Sites once planted stay (they are no-ops
 * while nothing traces), so a second attach retransforms only classes still without them.
 *
 * <p>Every option is checked before anything changes: the tracefs writes are first made on a
 * scratch instance, which is then removed.
 */
final class LateAttach {

    /** Options that only make sense at startup. */
    private static final List<String> STARTUP_ONLY = List.of("output", "data", "data_summary", "ended_budget_kb", "report", "control", "jmx", "verbose");
    /** Options that are tracefs settings: with any of them, an agentmain call starts tracing. */
    private static final List<String> TRACING = List.of("tracer", "filter", "notrace", "graph_function",
            "graph_notrace", "max_graph_depth", "tracing_thresh", "pid", "clock", "buffer_size_kb", "trace_options",
            "function_profile_enabled");

    private static final AtomicInteger SCRATCH = new AtomicInteger();

    private final Instrumentation inst;
    private final SelectingTransformer selecting;
    private final Map<String, String> notRetransformed = new ConcurrentHashMap<>();

    private Planter planter;
    private final LoadedClassScan scans;
    /** Classes ever queued for a scan: an attach queues only the loaded classes not seen before. */
    private final Set<Class<?>> queued = java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());

    LateAttach(Instrumentation inst, SelectingTransformer selecting) {
        this.inst = inst;
        this.selecting = selecting;
        this.scans = new LoadedClassScan(selecting);
        Ftrace.setDiscovery(scans);
    }

    void setPlanter(Planter p) {
        planter = p;
    }

    static boolean tracesSomething(AgentOptions o) {
        for (String k : TRACING) {
            if (o.has(k)) {
                return true;
            }
        }
        return false;
    }

    /** Classes an attach could not retransform, with the reason. */
    Map<String, String> notRetransformed() {
        return notRetransformed;
    }

    AttachHandler.Session attach(String args) {
        AgentOptions o = AgentOptions.parse(args);
        for (String k : STARTUP_ONLY) {
            if (o.has(k)) {
                throw new IllegalArgumentException("agent option '" + k + "' only works at startup (-javaagent)");
            }
        }
        ClassSelector selector = new ClassSelector(o.list("include"), o.list("exclude"));
        selector.onRefusal(selecting.refusals());
        Tracefs fs = Tracefs.jvm();
        String instance = o.get("instance", null);
        String prefix = instance == null ? "" : "instances/" + instance + "/";
        if (instance == null) {
            String cur = fs.read("current_tracer").strip();
            if (!cur.equals("nop")) {
                throw new IllegalArgumentException("the JVM is already tracing (current_tracer is " + cur
                        + "); write nop to current_tracer first, or trace into a new instance with -B NAME");
            }
        } else if (!fs.read("instances").lines().noneMatch(instance::equals)) {
            throw new IllegalArgumentException("instance '" + instance + "' exists; name a new one");
        }
        check(fs, o);
        String before = prefix.isEmpty() ? snapshot(fs) : "";

        long t0 = System.nanoTime();
        long transform0 = selecting.transformNanos.get();
        long planted0 = planter.classesPlanted.get();
        long scanned0 = selecting.classesScanned.get();
        long scanNanos0 = selecting.scanNanos.get();
        long batches0 = planter.batches.get();
        long plant0 = planter.plantNanos.get();
        selecting.addSelector(selector);
        // With an include, its classes get sites now; without, the loaded classes are only scanned,
        // and those the filters select are planted as the writes below select them.
        if (selector.selectsJdk()) {
            JdkSites.prepare(); // before any JDK class gets sites (see JdkSites)
        }
        Retransformed r = selector.eager() ? retransform(selector) : queueLoaded(selector);
        if (selector.selectsJdk()) {
            selecting.armJdkLoadPlanter(); // the JDK classes loaded meanwhile: see JdkLoadPlanter
        }
        if (o.has("tracer") && !o.get("tracer", "nop").equals("nop") || o.has("function_profile_enabled")) {
            int n = Ftrace.countSelected(String.join(" ", o.list("filter")), String.join(" ", o.list("notrace")));
            if (n > Tracefs.MANY_FUNCTIONS && !o.has("yes")) {
                throw new IllegalArgumentException(n + " functions selected; tracing them all may slow this JVM; --yes to go on");
            }
        }
        long t1 = System.nanoTime();
        Session s = new Session(fs, instance, prefix, o, before);
        try {
            if (instance != null) {
                fs.mkdirInstance(instance);
            }
            Agent.applyTracefsOptions(fs, prefix, o, false);
            fs.write(prefix + "trace", "", false); // as trace-cmd record: start from empty buffers
            fs.write(prefix + "tracing_on", "1", false);
            Agent.startTracing(fs, prefix, o);
        } catch (RuntimeException e) {
            s.detach();
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        long t2 = System.nanoTime();
        long enabled = Ftrace.enabledFunctions().lines().count();
        StringBuilder sum = new StringBuilder();
        long scanned = selecting.classesScanned.get() - scanned0;
        if (scanned > 0) {
            sum.append(String.format("jftrace: read the functions of %d loaded classes (%.1f ms)%n", scanned,
                    (selecting.scanNanos.get() - scanNanos0) / 1e6));
        }
        sum.append(String.format("jftrace: retransformed %d classes in %d batches (%.1f ms, of which planting sites %.1f ms)%s%n",
                planter.classesPlanted.get() - planted0, planter.batches.get() - batches0,
                ((selector.eager() ? t1 - t0 : 0) + planter.plantNanos.get() - plant0) / 1e6,
                (selecting.transformNanos.get() - transform0) / 1e6, r.problems()));
        sum.append(String.format("jftrace: %s on %d functions (tracefs writes %.1f ms, last patch batch %.2f ms)%n",
                o.get("tracer", "nop"), enabled, (t2 - t1) / 1e6, Ftrace.lastBatchNanos() / 1e6));
        s.summary = sum.toString();
        return s;
    }

    /** Makes every write on a scratch instance first, and checks the tracer's name. */
    static void check(Tracefs fs, AgentOptions o) {
        String tracer = o.get("tracer", null);
        if (tracer != null && !List.of(fs.read("available_tracers").strip().split(" ")).contains(tracer)) {
            throw new IllegalArgumentException("current_tracer: unknown tracer '" + tracer + "' (available: "
                    + fs.read("available_tracers").strip() + ")");
        }
        String profile = o.get("function_profile_enabled", "0");
        if (!profile.equals("0") && !profile.equals("1")) {
            throw new IllegalArgumentException("function_profile_enabled: expected 0 or 1, got '" + AgentOptions.oneLine(profile) + "'");
        }
        String name = "jftrace-check-" + ProcessHandle.current().pid() + "-" + SCRATCH.incrementAndGet();
        fs.mkdirInstance(name);
        try {
            Agent.applyTracefsOptions(fs, "instances/" + name + "/", o, false);
        } finally {
            fs.rmdirInstance(name);
        }
    }

    /** @return the bracketed entry of a listing such as {@code mono [counter] local_counter} */
    private static String current(String listing) {
        int a = listing.indexOf('[');
        int b = listing.indexOf(']', a + 1);
        return a < 0 || b < 0 ? "mono" : listing.substring(a + 1, b);
    }

    /** The top instance's settings an attach may change, as the writes that restore them. */
    private static String snapshot(Tracefs fs) {
        return String.join("\n", "buffer_size_kb " + fs.read("buffer_size_kb").strip(),
                "trace_clock " + current(fs.read("trace_clock")),
                "max_graph_depth " + fs.read("max_graph_depth").strip(),
                "tracing_thresh " + fs.read("tracing_thresh").strip(),
                "trace_options " + String.join(" ", fs.read("trace_options").strip().split("\n")));
    }

    // ---------------------------------------------------------------------------------------------

    static final class Retransformed {
        final List<String> unmodifiable = new ArrayList<>();
        final List<String> failed = new ArrayList<>();

        String problems() {
            StringBuilder sb = new StringBuilder();
            if (!unmodifiable.isEmpty()) {
                sb.append("; ").append(unmodifiable.size()).append(" unmodifiable classes left alone (e.g. ")
                        .append(unmodifiable.get(0)).append(")");
            }
            if (!failed.isEmpty()) {
                sb.append("; ").append(failed.size()).append(" classes failed (e.g. ").append(failed.get(0)).append(")");
            }
            if (sb.length() > 0) {
                sb.append("; see jftrace PID cat jftrace/report");
            }
            return sb.toString();
        }
    }

    /** Gives the loaded classes {@code selector} selects their sites now (the JDK's, at startup). */
    void retransformLoaded(ClassSelector selector) {
        Retransformed r = retransform(selector);
        if (!r.failed.isEmpty()) {
            System.err.println("jftrace: " + r.failed.size() + " loaded classes could not get sites (see the report)");
        }
    }

    private Retransformed retransform(ClassSelector selector) {
        Retransformed r = new Retransformed();
        List<Class<?>> todo = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.isArray() || c.isPrimitive()) {
                continue;
            }
            ClassLoader loader = c.getClassLoader();
            String internal = c.getName().replace('.', '/');
            if (!selector.selects(loader, internal) || selecting.instrumented(loader, internal)) {
                continue;
            }
            if (!inst.isModifiableClass(c)) {
                r.unmodifiable.add(c.getName());
                notRetransformed.put(c.getName(), "not modifiable (a hidden class such as a lambda): left without sites");
                continue;
            }
            todo.add(c);
        }
        planter.retransform(todo, r.failed);
        return r;
    }

    /**
     * Queues the loaded classes {@code selector} selects for {@link LoadedClassScan}: their functions
     * become known when a filter may select them. Nothing is read here.
     */
    private Retransformed queueLoaded(ClassSelector selector) {
        Retransformed r = new Retransformed();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.isArray() || c.isPrimitive()) {
                continue;
            }
            ClassLoader loader = c.getClassLoader();
            String internal = c.getName().replace('.', '/');
            if (loader == null || !selector.selects(loader, internal) || selecting.instrumented(loader, internal)
                    || selecting.scannedClass(loader, internal) != null || queued.contains(c) || !inst.isModifiableClass(c)) {
                continue;
            }
            queued.add(c);
            scans.add(c);
        }
        return r;
    }

    // ---------------------------------------------------------------------------------------------

    /** One attach, until detached. */
    static final class Session implements AttachHandler.Session {
        private final Tracefs fs;
        private final String instance;
        private final String prefix;
        private final AgentOptions options;
        private final String before;
        volatile String summary = "";
        private boolean detached;

        Session(Tracefs fs, String instance, String prefix, AgentOptions options, String before) {
            this.fs = fs;
            this.instance = instance;
            this.prefix = prefix;
            this.options = options;
            this.before = before;
        }

        @Override
        public String summary() {
            return summary;
        }

        @Override
        public synchronized void detach() {
            if (detached) {
                return;
            }
            detached = true;
            if (instance != null) {
                quietly(() -> fs.rmdirInstance(instance));
                return;
            }
            quietly(() -> fs.write("current_tracer", "nop", false));
            quietly(() -> fs.write("function_profile_enabled", "0", false));
            quietly(() -> fs.write("tracing_on", "0", false));
            for (String f : List.of("set_ftrace_filter", "set_ftrace_notrace", "set_graph_function",
                    "set_graph_notrace", "set_ftrace_pid")) {
                quietly(() -> fs.write(f, "", false));
            }
            for (String line : before.split("\n")) {
                int sp = line.indexOf(' ');
                String file = line.substring(0, sp);
                String value = line.substring(sp + 1);
                if (file.equals("trace_options")) {
                    for (String opt : value.split(" ")) {
                        quietly(() -> fs.write("trace_options", opt, false));
                    }
                } else if (!(file.equals("buffer_size_kb") && !options.has("buffer_size_kb"))) {
                    quietly(() -> fs.write(file, value, false));
                }
            }
        }

        private static void quietly(Runnable r) {
            try {
                r.run();
            } catch (RuntimeException e) {
                System.err.println("jftrace: detach: " + e.getMessage());
            }
        }
    }
}
