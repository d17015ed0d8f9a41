package org.jftrace.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.jftrace.filter.FilterHash;
import org.jftrace.filter.FilterRule;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.PidFilter;
import org.jftrace.ring.TraceBuffers;
import org.jftrace.ring.TraceClock;

/**
 * One tracing instance: the top level of tracefs or one of {@code instances/NAME}
 * (the kernel's {@code struct trace_array}). Each has its own tracer, filters, options and buffers.
 *
 * <p>Settings are written through {@link Tracefs}; the fields the callbacks read on every call are
 * volatile and replaced whole.
 */
public final class TraceInstance {

    final String name;
    final TraceBuffers buffers = new TraceBuffers();
    final TraceOptions options = new TraceOptions();

    volatile boolean tracingOn = true;
    volatile TraceClock clock = TraceClock.MONO;
    volatile Tracer tracer = NopTracer.INSTANCE;

    // set_ftrace_filter / set_ftrace_notrace of the instance's tracer ops (kept while no tracer runs).
    private volatile List<FilterRule> filterRules = List.of();
    private volatile List<FilterRule> notraceRules = List.of();

    // Read by function_graph on every call; replaced whole, and told of new functions.
    volatile FilterHash graphFunctions = FilterHash.empty();
    volatile FilterHash graphNotrace = FilterHash.empty();
    volatile int maxGraphDepth;
    /** tracing_thresh in clock units (ns for mono); 0 = off. */
    volatile long tracingThresh;
    /**
     * No set_graph_function, set_graph_notrace, max_graph_depth or tracing_thresh is in force: then
     * function_graph reads this one field per callback instead of the four above (its fast path).
     */
    volatile boolean graphPlain = true;
    /** func_args_strlen: characters of a string argument or return value kept in the record. */
    volatile int argsStrlen = 32;

    final FunctionProfiler profiler = new FunctionProfiler(this);
    final FilterCommands commands = new FilterCommands(this);
    /** The snapshot buffer's contents (echo 1 > snapshot), or null when there is none. */
    private volatile List<org.jftrace.ring.TraceRecord> snapshot;

    private volatile PidFilter pidFilter;
    private volatile String pidText = "";

    /** Origin of displayed mono timestamps: the JVM's tracing epoch, shared by all instances. */
    public static final long EPOCH = System.nanoTime();

    private final IntConsumer newFunction = ip -> {
        graphFunctions.onNewFunction(ip, Ftrace.records());
        graphNotrace.onNewFunction(ip, Ftrace.records());
    };

    public TraceInstance(String name) {
        this.name = name;
        Ftrace.addFunctionListener(newFunction);
    }

    public String name() {
        return name;
    }

    public TraceBuffers buffers() {
        return buffers;
    }

    public TraceOptions options() {
        return options;
    }

    public Tracer tracer() {
        return tracer;
    }

    String opsName(String tracerName) {
        return name.isEmpty() ? tracerName : tracerName + "@" + name;
    }

    List<FilterRule> filterRules() {
        return filterRules;
    }

    List<FilterRule> notraceRules() {
        return notraceRules;
    }

    PidFilter pidFilter() {
        return pidFilter;
    }

    String pidText() {
        return pidText;
    }

    // ---- setters used by Tracefs (validation happens there; each either applies whole or not at all)

    synchronized void setTracer(Tracer t) {
        Tracer old = tracer;
        if (old == t) {
            return;
        }
        old.stop(this);
        // As ftrace does on a switch: the old tracer's records would be read in the new one's format
        // (function records shown as a graph with no parents). After stop() no callback of the old
        // tracer runs, so nothing of it lands after the reset.
        buffers.reset();
        tracer = t;
        try {
            t.start(this);
        } catch (RuntimeException e) {
            tracer = NopTracer.INSTANCE;
            throw e;
        }
    }

    /** An option that chooses the tracer's callbacks changed: the running tracer registers its ops again. */
    synchronized void callbacksChanged(String option) {
        tracer.callbacksChanged(this, option);
    }

    synchronized void setFilters(List<FilterRule> filter, List<FilterRule> notrace) {
        filterRules = List.copyOf(filter);
        notraceRules = List.copyOf(notrace);
        tracer.filtersChanged(this);
        profiler.filtersChanged();
    }

    synchronized void setPidFilter(PidFilter pf, String text) {
        pidFilter = pf;
        pidText = text;
        tracer.filtersChanged(this);
        profiler.filtersChanged();
    }

    /** Copies the buffers into the snapshot (echo 1 > snapshot, or the snapshot command). */
    void takeSnapshot() {
        snapshot = buffers.snapshot();
    }

    void clearSnapshot() {
        snapshot = null;
    }

    List<org.jftrace.ring.TraceRecord> snapshot() {
        return snapshot;
    }

    private org.jftrace.ring.TracePipe pipe;

    /** The instance's one consuming reader (trace_pipe): every reader consumes from the same place. */
    public synchronized org.jftrace.ring.TracePipe pipe() {
        if (pipe == null) {
            pipe = buffers.pipe();
        }
        return pipe;
    }

    public FunctionProfiler profiler() {
        return profiler;
    }

    void setGraphHashes(List<FilterRule> functions, boolean resetFunctions, List<FilterRule> notrace, boolean resetNotrace) {
        Ftrace.withLock(() -> {
            if (functions != null) {
                graphFunctions = graphFunctions.with(functions, resetFunctions, Ftrace.records());
            }
            if (notrace != null) {
                graphNotrace = graphNotrace.with(notrace, resetNotrace, Ftrace.records());
            }
            graphSettingsChanged();
        });
    }

    void setMaxGraphDepth(int depth) {
        maxGraphDepth = depth;
        graphSettingsChanged();
    }

    void setTracingThresh(long thresh) {
        tracingThresh = thresh;
        graphSettingsChanged();
    }

    /** Its own lock: setGraphHashes calls this under Ftrace's lock, which setTracer takes under this monitor. */
    private final Object graphSettingsLock = new Object();

    private void graphSettingsChanged() {
        synchronized (graphSettingsLock) {
            graphPlain = graphFunctions.isEmpty() && graphNotrace.isEmpty() && maxGraphDepth == 0 && tracingThresh == 0;
        }
    }

    static List<FilterRule> concat(List<FilterRule> a, List<FilterRule> b) {
        List<FilterRule> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** Stops the tracer and detaches from the core; the buffers stay readable. */
    public synchronized void close() {
        profiler.disable();
        commands.clear();
        tracer.stop(this);
        tracer = NopTracer.INSTANCE;
        Ftrace.removeFunctionListener(newFunction);
    }
}
