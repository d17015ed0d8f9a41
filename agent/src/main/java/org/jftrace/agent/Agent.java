package org.jftrace.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jftrace.trace.Tracefs;

/**
 * The agent once the runtime is on the boot class path: reads the options, installs the
 * {@link SiteTransformer}, and reports what it could not instrument.
 */
public final class Agent {

    private static volatile Agent instance;

    private final AgentOptions options;
    private final SiteTransformer transformer;

    private Agent(AgentOptions options, SiteTransformer transformer) {
        this.options = options;
        this.transformer = transformer;
    }

    static void start(String args, Instrumentation inst, boolean attached) {
        if (instance != null) {
            System.err.println("jftrace: the agent is already loaded in this JVM");
            return;
        }
        AgentOptions opts;
        ClassSelector selector;
        try {
            opts = AgentOptions.parse(args);
            selector = new ClassSelector(opts.list("include"), opts.list("exclude"));
        } catch (IllegalArgumentException e) {
            System.err.println("jftrace: " + e.getMessage() + "; tracing is off");
            return;
        }
        try {
            applyTracefsOptions(opts);
        } catch (IllegalArgumentException e) {
            System.err.println("jftrace: " + e.getMessage() + "; tracing is off");
            return;
        }
        SiteTransformer t = new SiteTransformer(inst, selector);
        Agent a = new Agent(opts, t);
        instance = a;
        inst.addTransformer(t, true);
        String output = opts.get("output", null);
        if (output != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> a.writeTrace(output), "jftrace-output"));
        }
        String report = opts.get("report", null);
        if (report != null || opts.has("verbose")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> a.writeReport(report), "jftrace-report"));
        }
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
            set(fs, "buffer_size_kb", o.get("buffer_size_kb", null));
            set(fs, "trace_clock", o.get("clock", null));
            set(fs, "max_graph_depth", o.get("max_graph_depth", null));
            set(fs, "tracing_thresh", o.get("tracing_thresh", null));
            set(fs, "set_ftrace_pid", o.get("pid", null));
            for (String opt : o.list("trace_options")) {
                fs.write("trace_options", opt, false);
            }
            appendAll(fs, "set_ftrace_filter", o.list("filter"));
            appendAll(fs, "set_ftrace_notrace", o.list("notrace"));
            appendAll(fs, "set_graph_function", o.list("graph_function"));
            appendAll(fs, "set_graph_notrace", o.list("graph_notrace"));
            set(fs, "current_tracer", o.get("tracer", null));
        } finally {
            fs.setStartup(false);
        }
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

    /** At exit: stop recording and write the top instance's trace to {@code output} ({@code %p} = pid). */
    private void writeTrace(String output) {
        Tracefs fs = Tracefs.jvm();
        fs.write("tracing_on", "0", false);
        String text = fs.read("trace");
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
        return new TreeMap<>(transformer.skipped());
    }

    public long classesInstrumented() {
        return transformer.classesInstrumented.get();
    }

    public long methodsWithSites() {
        return transformer.methodsWithSites.get();
    }

    /** The instrumentation report: counts, then one line per class left out, with its reason. */
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("# classes instrumented: ").append(classesInstrumented()).append('\n');
        sb.append("# methods with sites: ").append(methodsWithSites()).append('\n');
        sb.append("# methods left without sites: ").append(transformer.methodsWithout.get()).append('\n');
        Map<String, String> skipped = skippedClasses();
        sb.append("# classes left unchanged: ").append(skipped.size()).append('\n');
        skipped.forEach((c, r) -> sb.append(c).append('\t').append(r).append('\n'));
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
