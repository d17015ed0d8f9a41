package org.jftrace.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jftrace.control.AttachHandler;
import org.jftrace.control.ControlServer;
import org.jftrace.control.TracefsControl;
import org.jftrace.data.TraceDrain;
import org.jftrace.ring.TraceBuffers;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.JdkSites;
import org.jftrace.ftrace.NotraceList;
import org.jftrace.ftrace.PatchWarmup;
import org.jftrace.trace.Tracefs;

/**
 * The agent once the runtime is on the boot class path: reads the options, installs the
 * {@link SiteTransformer}, starts the control socket and the JMX MBean, serves {@code jftrace
 * attach} (see {@link LateAttach}), and reports what it could not instrument.
 *
 * <p>Loaded a second time (a second {@code jftrace attach}, or {@code VirtualMachine.loadAgent} on a
 * JVM started with {@code -javaagent}), it reuses the running agent: the new options are applied as
 * an attach, and the control socket is started if it was off.
 */
public final class Agent implements AttachHandler {

    private static volatile Agent instance;

    private final AgentOptions options;
    private final Instrumentation inst;
    private final SiteTransformer transformer;
    private final SelectingTransformer selecting;
    private final LateAttach late;

    private Agent(AgentOptions options, Instrumentation inst, SiteTransformer transformer, SelectingTransformer selecting) {
        this.options = options;
        this.inst = inst;
        this.transformer = transformer;
        this.selecting = selecting;
        this.late = new LateAttach(inst, selecting);
        Planter p = new Planter(inst, late.notRetransformed());
        late.setPlanter(p);
        Ftrace.setPlanter(p);
        selecting.setJdkLoadPlanter(new JdkLoadPlanter(p));
    }

    static synchronized void start(String args, Instrumentation inst, boolean attached) {
        if (instance != null) {
            again(args, attached);
            return;
        }
        AgentOptions opts;
        ClassSelector selector;
        int warmup;
        boolean check;
        try {
            opts = AgentOptions.parse(args);
            selector = new ClassSelector(opts.list("include"), opts.list("exclude"));
            warmup = warmupSites(opts);
            check = checkSites(opts);
        } catch (IllegalArgumentException e) {
            System.err.println("jftrace: " + e.getMessage() + "; tracing is off");
            return;
        }
        if (!attached) {
            try {
                applyTracefsOptions(opts);
            } catch (IllegalArgumentException e) {
                System.err.println("jftrace: " + e.getMessage() + "; tracing is off");
                return;
            }
        }
        SiteTransformer t = new SiteTransformer(inst, new ClassSelector(List.of(), List.of()), check);
        SelectingTransformer s = new SelectingTransformer(t, selector);
        selector.onRefusal(t);
        Agent a = new Agent(opts, inst, t, s);
        instance = a;
        inst.addTransformer(s, true);
        if (selector.selectsJdk()) {
            // The JDK classes the include names are loaded already: they get their sites now.
            try {
                JdkSites.prepare();
                a.late.retransformLoaded(selector);
                s.armJdkLoadPlanter();
            } catch (RuntimeException | LinkageError e) { // never into the application: say so, go on
                System.err.println("jftrace: cannot give the loaded JDK classes sites: " + e);
            }
        }
        ControlServer.setAttachHandler(a);
        if (!"0".equals(opts.get("control", "1"))) {
            startControl();
        }
        if (!"0".equals(opts.get("jmx", "1"))) {
            startJmx(attached);
        }
        String output = opts.get("output", null);
        String data = opts.get("data", null);
        if (data != null) {
            String file = data.replace("%p", Long.toString(ProcessHandle.current().pid()));
            try {
                if (!opts.has("buffer_size_kb")) {
                    Tracefs.jvm().write("buffer_size_kb", String.valueOf(RECORDING_BUFFER_KB), false);
                }
                TraceDrain.startRecording(Tracefs.jvm().top(), Path.of(file));
            } catch (IOException | RuntimeException e) {
                System.err.println("jftrace: cannot write the trace data to " + file + ": " + e.getMessage());
                data = null;
            }
        }
        if (output != null || data != null) {
            String streamed = data;
            boolean summary = !"0".equals(opts.get("data_summary", "1"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                JdkSites.markTracerThread();
                a.writeTrace(output, streamed, summary);
            }, "jftrace-output"));
        }
        String report = opts.get("report", null);
        if (report != null || opts.has("verbose")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                JdkSites.markTracerThread();
                a.writeReport(report);
            }, "jftrace-report"));
        }
        if (attached && LateAttach.tracesSomething(opts)) {
            a.attachFromAgentmain(args);
        }
        if (!attached) { // an attach switches at once; nothing would be warm in time
            PatchWarmup.start(warmup, WARMUP_ROUNDS, WARMUP_DELAY_MILLIS);
        }
    }

    /**
     * buffer_size_kb while streaming to a data file, unless the options set it: 8 MB absorbs the
     * drain's stalls (JIT and GC threads on a busy core) at 5 million records a second, and a buffer
     * grows to it only while its thread outruns the drain (docs/benchmarks.md, the drain).
     */
    static final int RECORDING_BUFFER_KB = 8192;

    /** Default private sites the startup warm-up of the patching code switches ({@code warmup=0}: none). */
    static final int WARMUP_SITES = 3000;
    static final int WARMUP_ROUNDS = 4;
    /** Short programs (a {@code jftrace record} of a command-line tool) end before it starts. */
    static final long WARMUP_DELAY_MILLIS = 1000;

    /**
     * The warm-up's sites: by default {@link #WARMUP_SITES} when an {@code include} plants classes as
     * they load, so that their first switch finds the patching code compiled; none otherwise, where a
     * first switch plants classes anyway, and the warm-up would only cost startup (its sites make the
     * JVM spin about a hundred LambdaForm classes).
     */
    static int warmupSites(AgentOptions opts) {
        String v = opts.get("warmup", String.valueOf(opts.list("include").isEmpty() ? 0 : WARMUP_SITES));
        try {
            int n = Integer.parseInt(v);
            if (n >= 0 && n <= 1_000_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("agent option warmup: '" + v + "' is not a number of sites from 0 to 1000000");
    }

    /**
     * Whether every method's code with sites goes through {@link SiteCheck} before the JVM sees it
     * ({@code check=1}), so that code the JVM's verifier would reject is never handed to it. Off by
     * default: it adds about half to the transformer's time at class load (docs/reliability.md).
     * The environment variable {@code JFTRACE_CHECK} sets the default for every JVM it reaches, the
     * way the tests turn it on for every child JVM they start.
     */
    static boolean checkSites(AgentOptions opts) {
        String env = System.getenv("JFTRACE_CHECK");
        String v = opts.get("check", env == null || env.isEmpty() ? "0" : env);
        if (v.equals("0") || v.equals("1")) {
            return v.equals("1");
        }
        throw new IllegalArgumentException((opts.has("check") ? "agent option check" : "JFTRACE_CHECK") + ": '"
                + AgentOptions.oneLine(v) + "' is not 0 or 1");
    }

    /** The agent is loaded again: serve control, and apply tracing options as an attach. */
    private static void again(String args, boolean attached) {
        Agent a = instance;
        if (!attached) {
            System.err.println("jftrace: the agent is already loaded in this JVM");
            return;
        }
        startControl();
        AgentOptions opts;
        try {
            opts = AgentOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("jftrace: " + e.getMessage() + "; nothing changed");
            return;
        }
        if (LateAttach.tracesSomething(opts) || !opts.list("include").isEmpty()) {
            a.attachFromAgentmain(args);
        }
    }

    private void attachFromAgentmain(String args) {
        try {
            Session s = attach(args); // kept: whoever loads the agent with options wants the tracing
            System.err.print(s.summary());
        } catch (IllegalArgumentException e) {
            System.err.println("jftrace: " + e.getMessage() + "; nothing changed");
        }
    }

    private static void startControl() {
        try {
            ControlServer.start();
        } catch (Throwable e) {
            System.err.println("jftrace: " + e.getMessage());
        }
    }

    /**
     * Registers the MBean. At startup this waits a little in a daemon thread: creating the platform
     * MBean server during premain breaks servers that configure JMX or logging themselves (e.g. a
     * custom {@code javax.management.builder.initial}); {@code jmx=0} turns the MBean off.
     */
    private static void startJmx(boolean attached) {
        if (attached) {
            registerJmx();
            return;
        }
        Thread t = new Thread(new Runnable() { // not a lambda: see ControlServer.start
            @Override
            public void run() {
                JdkSites.markTracerThread();
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                }
                registerJmx();
            }
        }, "jftrace-jmx");
        t.setDaemon(true);
        t.start();
    }

    private static void registerJmx() {
        try {
            TracefsControl.register();
        } catch (Throwable e) {
            System.err.println("jftrace: cannot register the MBean " + TracefsControl.OBJECT_NAME + ": " + e);
        }
    }

    @Override
    public synchronized Session attach(String args) {
        return late.attach(args);
    }

    /**
     * The agent's tracing options are the control-file writes a user would make, applied in the
     * order the kernel needs them: settings and filters first, the tracer last. All are checked
     * before the tracer starts; a bad one stops the agent with a message naming it.
     */
    private static void applyTracefsOptions(AgentOptions o) {
        Tracefs fs = Tracefs.jvm();
        fs.setStartup(true);
        try {
            LateAttach.check(fs, o); // every write on a scratch instance first: a bad one changes nothing
            long budget = endedBudgetKb(o);
            String summary = o.get("data_summary", "1");
            if (!summary.equals("0") && !summary.equals("1")) {
                throw new IllegalArgumentException("agent option data_summary: expected 0 or 1, got '" + AgentOptions.oneLine(summary) + "'");
            }
            fs.top().buffers().setEndedBudgetKb(budget);
            applyTracefsOptions(fs, "", o, true);
        } finally {
            fs.setStartup(false);
        }
    }

    /**
     * The budget for ended threads' unread records ({@code ended_budget_kb}, default 64 MB): what the
     * tracer may hold beyond the live threads' buffers however many threads come and go.
     */
    static long endedBudgetKb(AgentOptions o) {
        String v = o.get("ended_budget_kb", String.valueOf(TraceBuffers.DEFAULT_ENDED_BUDGET_KB));
        try {
            long kb = Long.parseLong(v);
            if (kb >= 0 && kb <= 1L << 30) {
                return kb;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("agent option ended_budget_kb: '" + AgentOptions.oneLine(v)
                + "' is not a number of KB from 0 to 1073741824");
    }

    /**
     * Writes the options' control files under {@code prefix} ("" or "instances/NAME/"); the
     * tracer last, and only if {@code withTracer}.
     */
    static void applyTracefsOptions(Tracefs fs, String prefix, AgentOptions o, boolean withTracer) {
        set(fs, prefix + "buffer_size_kb", o.get("buffer_size_kb", null));
        set(fs, prefix + "trace_clock", o.get("clock", null));
        set(fs, prefix + "max_graph_depth", o.get("max_graph_depth", null));
        set(fs, prefix + "tracing_thresh", o.get("tracing_thresh", null));
        set(fs, prefix + "func_args_strlen", o.get("func_args_strlen", null));
        set(fs, prefix + "set_ftrace_pid", o.get("pid", null));
        for (String opt : o.list("trace_options")) {
            fs.write(prefix + "trace_options", opt, false);
        }
        appendAll(fs, prefix + "set_ftrace_filter", o.list("filter"));
        appendAll(fs, prefix + "set_ftrace_notrace", o.list("notrace"));
        appendAll(fs, prefix + "set_graph_function", o.list("graph_function"));
        appendAll(fs, prefix + "set_graph_notrace", o.list("graph_notrace"));
        if (withTracer) {
            startTracing(fs, prefix, o);
        }
    }

    /** Starts the tracer and the profiler (its own ops, beside the tracer) the options name. */
    static void startTracing(Tracefs fs, String prefix, AgentOptions o) {
        set(fs, prefix + "current_tracer", o.get("tracer", null));
        set(fs, prefix + "function_profile_enabled", o.get("function_profile_enabled", null));
    }

    private static void set(Tracefs fs, String file, String value) {
        if (value != null) {
            fs.write(file, value, false);
        }
    }

    private static void appendAll(Tracefs fs, String file, List<String> values) {
        for (String v : values) {
            fs.write(file, v.replace(';', ' '), true);
        }
    }

    /**
     * At exit: stop recording, finish the trace data file that was streamed since startup ({@code data},
     * for {@code jftrace report}; a line on stderr says what it holds and what was lost) and write the
     * top instance's trace text to {@code output} unless the data took the records; either may be null;
     * {@code %p} = pid.
     */
    private void writeTrace(String output, String data, boolean dataSummary) {
        Tracefs fs = Tracefs.jvm();
        fs.write("tracing_on", "0", false);
        if (data != null) {
            try {
                TraceDrain.Summary s = TraceDrain.stopRecording();
                if (s != null && dataSummary) {
                    System.err.println("jftrace: " + s.line());
                }
            } catch (IOException e) {
                System.err.println("jftrace: " + e.getMessage());
            }
            return; // the records are in the data file: 'jftrace report' prints them
        }
        String text = fs.read("trace");
        if (output == null) {
            return;
        }
        if (output.equals("-")) {
            System.out.print(text);
            System.out.flush();
            return;
        }
        String file = output.replace("%p", Long.toString(ProcessHandle.current().pid()));
        try {
            Files.writeString(Path.of(file), text);
        } catch (IOException e) {
            System.err.println("jftrace: cannot write the trace to " + file + ": " + e.getMessage());
        }
    }

    /** @return the running agent, or null if none was loaded. */
    public static Agent instance() {
        return instance;
    }

    public AgentOptions options() {
        return options;
    }

    /** Classes that were selected but left unchanged, with the reason (sorted by name). */
    public Map<String, String> skippedClasses() {
        Map<String, String> m = new TreeMap<>(transformer.skipped());
        m.putAll(late.notRetransformed());
        return m;
    }

    public long classesInstrumented() {
        return transformer.classesInstrumented.get();
    }

    public long methodsWithSites() {
        return transformer.methodsWithSites.get();
    }

    /** The instrumentation report: counts, then one line per class left out, with its reason. */
    @Override
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("# classes instrumented: ").append(classesInstrumented()).append('\n');
        sb.append("# methods with sites: ").append(methodsWithSites()).append('\n');
        sb.append("# JDK methods with sites: ").append(transformer.jdkMethodsWithSites.get()).append('\n');
        sb.append("# methods left without sites: ").append(transformer.methodsWithout.get()).append('\n');
        sb.append("# classes scanned, with sites once a filter selects them: ").append(selecting.classesScanned.get()).append('\n');
        sb.append("# JDK intrinsic candidates left without sites: ").append(transformer.intrinsics.get()).append('\n');
        Map<String, String> skipped = skippedClasses();
        sb.append("# classes left unchanged: ").append(skipped.size()).append('\n');
        skipped.forEach((c, r) -> sb.append(c).append('\t').append(r).append('\n'));
        Map<String, String> notraced = new TreeMap<>(transformer.notraced());
        sb.append("# JDK classes an include named that the notrace list refuses: ").append(notraced.size()).append('\n');
        notraced.forEach((c, r) -> sb.append(c).append('\t').append(r).append('\n'));
        sb.append("# the notrace list: never given sites, whatever include says\n");
        NotraceList.describe().lines().forEach(l -> sb.append("#   ").append(l).append('\n'));
        return sb.toString();
    }

    private void writeReport(String file) {
        String text = report();
        if (file == null) {
            PrintStream err = System.err;
            err.print(text);
            return;
        }
        try {
            Files.writeString(Path.of(file), text);
        } catch (IOException e) {
            System.err.println("jftrace: cannot write the report to " + file + ": " + e.getMessage());
        }
    }
}
