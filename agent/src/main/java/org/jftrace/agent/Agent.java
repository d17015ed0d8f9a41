package org.jftrace.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

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
        SiteTransformer t = new SiteTransformer(inst, selector);
        Agent a = new Agent(opts, t);
        instance = a;
        inst.addTransformer(t, true);
        String report = opts.get("report", null);
        if (report != null || opts.has("verbose")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> a.writeReport(report), "jftrace-report"));
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
