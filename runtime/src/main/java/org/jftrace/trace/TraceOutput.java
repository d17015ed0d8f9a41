package org.jftrace.trace;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jftrace.ftrace.DynFtrace;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ring.ArgGroups;
import org.jftrace.ring.RecordDescriptor;
import org.jftrace.ring.TraceClock;
import org.jftrace.ring.TraceRecord;

/**
 * Renders records in ftrace's text formats (trace_output.c, trace_functions_graph.c).
 *
 * <p>Where a kernel column has no JVM meaning it takes the JVM's: the CPU column is the thread's
 * trace buffer (one per platform thread, pooled for virtual threads), TASK is the thread's name and
 * PID its id. The irq-flags columns are left out, as with ftrace's {@code noirq-info}.
 */
public final class TraceOutput {

    private TraceOutput() {
    }

    /** The {@code trace} file: header and one line per record, for the instance's current tracer. */
    public static String trace(TraceInstance ti, List<TraceRecord> records) {
        records = ArgGroups.join(records);
        StringBuilder sb = new StringBuilder();
        Names names = new Names(ti.options.get("sym-descriptor"));
        if (ti.tracer instanceof FunctionGraphTracer || (!(ti.tracer instanceof FunctionTracer) && hasGraph(records))) {
            graphHeader(sb, ti);
            graph(sb, ti, records, names);
        } else {
            functionHeader(sb, ti);
            for (TraceRecord r : records) {
                functionLine(sb, ti, r, names);
            }
        }
        return sb.toString();
    }

    private static boolean hasGraph(List<TraceRecord> records) {
        for (TraceRecord r : records) {
            if (r.type() == RecordDescriptor.TYPE_GRAPH_ENTRY || r.type() == RecordDescriptor.TYPE_GRAPH_RETURN) {
                return true;
            }
        }
        return false;
    }

    /**
     * One record as {@code trace_pipe} prints it: each line stands alone (a graph return cannot look
     * back for its entry, so it carries the function's name as a tail comment).
     */
    public static String pipeLine(TraceInstance ti, TraceRecord r) {
        StringBuilder sb = new StringBuilder();
        Names names = new Names(ti.options.get("sym-descriptor"));
        int t = r.type();
        if (t == RecordDescriptor.TYPE_GRAPH_ENTRY || t == RecordDescriptor.TYPE_GRAPH_RETURN
                || (ti.tracer instanceof FunctionGraphTracer && t != RecordDescriptor.TYPE_FUNCTION)) {
            graph(sb, ti, List.of(r), names);
        } else {
            functionLine(sb, ti, r, names);
        }
        return sb.toString();
    }

    // ---- function

    static void functionHeader(StringBuilder sb, TraceInstance ti) {
        sb.append("# tracer: ").append(ti.tracer.name()).append('\n');
        sb.append("#\n");
        sb.append(ti.buffers.entriesHeader()).append('\n');
        sb.append("#\n");
        sb.append("#  TASK: thread name, PID: thread id, BUF#: the thread's trace buffer (the JVM's per-CPU buffer)\n");
        sb.append("#\n");
        sb.append("#           TASK-PID     BUF#     TIMESTAMP  FUNCTION\n");
        sb.append("#              | |         |         |         |\n");
    }

    static void functionLine(StringBuilder sb, TraceInstance ti, TraceRecord r, Names names) {
        if (r.type() == RecordDescriptor.TYPE_LOST) {
            lostLine(sb, r);
            return;
        }
        if (r.type() == RecordDescriptor.TYPE_ARGS) { // an orphan: its owner was overwritten
            return;
        }
        context(sb, r);
        sb.append(" [").append(pad3(r.bufferId())).append("] ");
        if (ti.clock.isCounter()) {
            String c = Long.toString(r.timestamp()); // " %12llu: ", as for clocks not in ns
            for (int i = c.length(); i < 13; i++) {
                sb.append(' ');
            }
            sb.append(c);
        } else {
            sb.append(' ');
            timestamp(sb, ti.clock, r.timestamp());
        }
        sb.append(": ");
        switch (r.type()) {
            case RecordDescriptor.TYPE_FUNCTION:
                sb.append(names.get(r.ip()));
                args(sb, r, names);
                if (r.parentIp() != 0) {
                    sb.append(" <-").append(names.get(r.parentIp()));
                }
                break;
            case RecordDescriptor.TYPE_MARKER:
                sb.append("tracing_mark_write: ").append(r.markerText());
                break;
            case RecordDescriptor.TYPE_STACK:
                stack(sb, r, "");
                break;
            case RecordDescriptor.TYPE_GRAPH_ENTRY:
                sb.append(names.get(r.ip()));
                args(sb, r, names);
                sb.append(" {");
                break;
            default:
                sb.append("} /* ").append(names.get(r.ip())).append(" */");
        }
        sb.append('\n');
    }

    /** ftrace's line where a buffer dropped records: {@code CPU:2 [LOST 120 EVENTS]}. */
    static void lostLine(StringBuilder sb, TraceRecord r) {
        sb.append("CPU:").append(r.bufferId()).append(" [LOST ").append(r.lostCount()).append(" EVENTS]\n");
    }

    private static void stack(StringBuilder sb, TraceRecord r, String indent) {
        sb.append("<stack trace>");
        StackTraceElement[] frames = r.stack();
        if (frames != null) {
            for (StackTraceElement e : frames) {
                sb.append('\n').append(indent).append(" => ").append(e.getClassName()).append('.').append(e.getMethodName());
            }
        }
    }

    private static void context(StringBuilder sb, TraceRecord r) {
        String comm = comm(r);
        if (comm.length() > 16) {
            comm = comm.substring(comm.length() - 16);
        }
        for (int i = comm.length(); i < 16; i++) {
            sb.append(' ');
        }
        sb.append(comm).append('-');
        String pid = Long.toString(r.threadId());
        sb.append(pid);
        for (int i = pid.length(); i < 7; i++) {
            sb.append(' ');
        }
    }

    private static String comm(TraceRecord r) {
        String n = r.threadName();
        if (n == null || n.isEmpty()) {
            return r.isVirtualThread() ? "<vthread>" : "<...>";
        }
        return n.replace(' ', '_');
    }

    private static String pad3(int v) {
        String s = Integer.toString(v);
        return s.length() >= 3 ? s : "000".substring(s.length()) + s;
    }

    /** "%5lu.%06lu" of seconds since the tracing epoch, or the raw count for the counter clock. */
    static void timestamp(StringBuilder sb, TraceClock clock, long ts) {
        if (clock.isCounter()) {
            sb.append(ts);
            return;
        }
        long ns = ts - TraceInstance.EPOCH;
        if (ns < 0) {
            ns = 0;
        }
        long sec = ns / 1_000_000_000L;
        long usec = (ns % 1_000_000_000L) / 1000;
        String s = Long.toString(sec);
        for (int i = s.length(); i < 5; i++) {
            sb.append(' ');
        }
        sb.append(s).append('.');
        String u = Long.toString(usec);
        for (int i = u.length(); i < 6; i++) {
            sb.append('0');
        }
        sb.append(u);
    }

    // ---- function_graph

    static void graphHeader(StringBuilder sb, TraceInstance ti) {
        TraceOptions o = ti.options;
        sb.append("# tracer: ").append(ti.tracer.name()).append('\n');
        sb.append("#\n");
        sb.append("# BUF: the thread's trace buffer (the JVM's per-CPU buffer); TASK/PID: thread name/id\n");
        sb.append("#\n");
        StringBuilder names = new StringBuilder("#");
        StringBuilder bars = new StringBuilder("#");
        if (o.get("funcgraph-abstime")) {
            names.append("     TIME       ");
            bars.append("      |         ");
        }
        if (o.get("funcgraph-cpu")) {
            names.append(" BUF");
            bars.append(" |  ");
        }
        if (o.get("funcgraph-proc")) {
            names.append("  TASK/PID       ");
            bars.append("   |    |        ");
        }
        if (o.get("funcgraph-duration")) {
            names.append("  DURATION        ");
            bars.append("   |   |          ");
        }
        names.append("          FUNCTION CALLS\n");
        bars.append("           |   |   |   |\n");
        sb.append(names).append(bars);
    }

    private static final class Open {
        final int ip;
        final int depth;

        Open(int ip, int depth) {
            this.ip = ip;
            this.depth = depth;
        }
    }

    static void graph(StringBuilder sb, TraceInstance ti, List<TraceRecord> records, Names names) {
        TraceOptions o = ti.options;
        boolean retval = o.get("funcgraph-retval");
        boolean hex = o.get("funcgraph-retval-hex");
        boolean tail = o.get("funcgraph-tail");
        // A leaf is an entry whose very next record in its buffer is its own return: one line.
        int n = records.size();
        boolean[] leaf = new boolean[n];
        boolean[] consumed = new boolean[n];
        Map<Integer, Integer> lastEntryOfBuffer = new HashMap<>();
        for (int i = 0; i < n; i++) {
            TraceRecord r = records.get(i);
            Integer prev = lastEntryOfBuffer.remove(r.bufferId());
            if (r.type() == RecordDescriptor.TYPE_GRAPH_RETURN && prev != null) {
                TraceRecord e = records.get(prev);
                if (e.ip() == r.ip() && e.depth() == r.depth() && e.threadId() == r.threadId()) {
                    leaf[prev] = true;
                    consumed[i] = true;
                }
            }
            if (r.type() == RecordDescriptor.TYPE_GRAPH_ENTRY) {
                lastEntryOfBuffer.put(r.bufferId(), i);
            }
        }
        Map<Long, ArrayDeque<Open>> open = new HashMap<>();
        long lastThread = Long.MIN_VALUE;
        int lastBuffer = -1;
        for (int i = 0; i < n; i++) {
            if (consumed[i]) {
                continue;
            }
            TraceRecord r = records.get(i);
            if (lastThread != Long.MIN_VALUE && r.threadId() != lastThread && r.bufferId() == lastBuffer) {
                sb.append(" ------------------------------------------\n");
                sb.append(' ').append(r.bufferId()).append(")  ").append(comm(records.get(i - 1))).append('-')
                        .append(lastThread).append("  =>  ").append(comm(r)).append('-').append(r.threadId()).append('\n');
                sb.append(" ------------------------------------------\n\n");
            }
            lastThread = r.threadId();
            lastBuffer = r.bufferId();
            ArrayDeque<Open> stack = open.computeIfAbsent(r.threadId(), k -> new ArrayDeque<>());
            int type = r.type();
            if (type == RecordDescriptor.TYPE_LOST) {
                lostLine(sb, r);
                continue;
            }
            if (type == RecordDescriptor.TYPE_ARGS) { // an orphan: its owner was overwritten
                continue;
            }
            if (type == RecordDescriptor.TYPE_GRAPH_ENTRY && leaf[i]) {
                TraceRecord ret = next(records, i, consumed);
                prefix(sb, ti, r, ret.timestamp() - r.timestamp(), true);
                indent(sb, r.depth());
                sb.append(names.get(r.ip()));
                args(sb, r, names);
                sb.append(';');
                String t = returnText(ret, retval, hex);
                if (t != null) {
                    sb.append(" /* ").append(t).append(" */");
                }
            } else if (type == RecordDescriptor.TYPE_GRAPH_ENTRY) {
                prefix(sb, ti, r, 0, false);
                indent(sb, r.depth());
                sb.append(names.get(r.ip()));
                args(sb, r, names);
                sb.append(" {");
                stack.push(new Open(r.ip(), r.depth()));
            } else if (type == RecordDescriptor.TYPE_GRAPH_RETURN) {
                Open top = stack.peek();
                boolean matched = top != null && top.ip == r.ip() && top.depth == r.depth();
                if (matched) {
                    stack.pop();
                }
                prefix(sb, ti, r, r.timestamp() - r.callTime(), true);
                indent(sb, r.depth());
                sb.append('}');
                String t = returnText(r, retval, hex);
                if (retval && t != null) { // the kernel's "} /* fn ret=-22 */"
                    sb.append(" /* ").append(names.get(r.ip())).append(' ').append(t).append(" */");
                } else {
                    if (tail || !matched) {
                        sb.append(" /* ").append(names.get(r.ip())).append(" */");
                    }
                    if (t != null) {
                        sb.append(" /* ").append(t).append(" */");
                    }
                }
            } else if (type == RecordDescriptor.TYPE_MARKER) {
                prefix(sb, ti, r, 0, false);
                indent(sb, (stack.isEmpty() ? 0 : stack.peek().depth) + 1);
                sb.append("/* ").append(r.markerText()).append(" */");
            } else if (type == RecordDescriptor.TYPE_STACK) {
                prefix(sb, ti, r, 0, false);
                indent(sb, (stack.isEmpty() ? 0 : stack.peek().depth) + 1);
                sb.append("/* ");
                stack(sb, r, "");
                sb.append(" */");
            } else {
                prefix(sb, ti, r, 0, false);
                sb.append(names.get(r.ip())).append(" <-").append(names.get(r.parentIp()));
            }
            sb.append('\n');
        }
    }

    private static TraceRecord next(List<TraceRecord> records, int i, boolean[] consumed) {
        for (int j = i + 1; j < records.size(); j++) {
            if (consumed[j] && records.get(j).bufferId() == records.get(i).bufferId()) {
                return records.get(j);
            }
        }
        throw new IllegalStateException("leaf without its return");
    }

    /**
     * What a return shows: {@code threw CLASS} (the class when funcgraph-retval captured it, else just
     * {@code threw}), {@code ret=VALUE} with funcgraph-retval, or null (nothing, or a void function).
     */
    static String returnText(TraceRecord ret, boolean retval, boolean hex) {
        long[] w = ret.argWords();
        if (ret.exceptional()) {
            if (retval && ArgFormatter.threw(w)) {
                StringBuilder t = new StringBuilder("threw ");
                ArgFormatter.ret(t, w, 0, 'L', false);
                return t.toString();
            }
            return "threw";
        }
        if (!retval) {
            return null;
        }
        StringBuilder t = new StringBuilder("ret=");
        return ArgFormatter.ret(t, w, ret.returnValueBits(), ArgEncoder.returnType(ret.ip()), hex) ? t.toString() : null;
    }

    /** {@code (a=1, b="x")} when the record carries arguments, {@code ()} otherwise for a graph line. */
    private static void args(StringBuilder sb, TraceRecord r, Names names) {
        long[] w = r.argWords();
        if (w != null) {
            sb.append('(');
            ArgFormatter.args(sb, w, names.parameters(r.ip()));
            sb.append(')');
        } else if (r.type() != RecordDescriptor.TYPE_FUNCTION) {
            sb.append("()");
        }
    }

    private static void indent(StringBuilder sb, int depth) {
        for (int i = 1; i < depth; i++) {
            sb.append("  ");
        }
    }

    /** The columns before FUNCTION CALLS, as print_graph_prologue + print_graph_duration write them. */
    private static void prefix(StringBuilder sb, TraceInstance ti, TraceRecord r, long duration, boolean hasDuration) {
        TraceOptions o = ti.options;
        if (o.get("funcgraph-abstime")) {
            timestamp(sb, ti.clock, r.timestamp());
            sb.append(" |  ");
        }
        if (o.get("funcgraph-cpu")) {
            sb.append(' ').append(r.bufferId()).append(") ");
        }
        if (o.get("funcgraph-proc")) {
            String c = comm(r) + "-" + r.threadId();
            if (c.length() > 12) {
                c = c.substring(c.length() - 12);
            }
            sb.append(' ').append(c);
            for (int i = c.length(); i < 12; i++) {
                sb.append(' ');
            }
            sb.append(" | ");
        }
        if (o.get("funcgraph-duration")) {
            if (!hasDuration) {
                sb.append("              |  ");
            } else {
                sb.append(o.get("funcgraph-overhead") ? mark(duration) : ' ').append(' ');
                duration(sb, duration);
                sb.append("|  ");
            }
        } else {
            sb.append(" |  ");
        }
    }

    /** trace_find_mark. */
    static char mark(long ns) {
        if (ns > 1_000_000_000L) {
            return '$';
        }
        if (ns > 100_000_000L) {
            return '@';
        }
        if (ns > 10_000_000L) {
            return '*';
        }
        if (ns > 1_000_000L) {
            return '#';
        }
        if (ns > 100_000L) {
            return '!';
        }
        if (ns > 10_000L) {
            return '+';
        }
        return ' ';
    }

    /** trace_print_graph_duration: microseconds with up to 3 decimals, padded to the column. */
    static void duration(StringBuilder sb, long ns) {
        if (ns < 0) {
            ns = 0;
        }
        String usecs = Long.toString(ns / 1000);
        sb.append(usecs);
        int len = usecs.length();
        if (len < 7) {
            String rem = Long.toString(ns % 1000);
            String nsecs = "000".substring(rem.length()) + rem;
            int keep = Math.min(nsecs.length(), 7 - len);
            sb.append('.').append(nsecs, 0, keep);
            len += keep + 1;
        }
        sb.append(" us ");
        for (int i = len; i < 8; i++) {
            sb.append(' ');
        }
    }

    /** Function names for display: without the descriptor unless sym-descriptor is set; cached. */
    static final class Names {
        private final boolean descriptor;
        private final Map<Integer, String> cache = new HashMap<>();

        Names(boolean descriptor) {
            this.descriptor = descriptor;
        }

        /** @return the function's parameter names joined by commas, or null */
        String parameters(int ip) {
            DynFtrace rec = Ftrace.records().get(ip);
            return rec == null ? null : rec.parameterNames();
        }

        String get(int ip) {
            return cache.computeIfAbsent(ip, i -> {
                DynFtrace rec = Ftrace.records().get(i);
                if (rec == null) {
                    return "0x" + Integer.toHexString(i);
                }
                String n = rec.name();
                int p = n.indexOf('(');
                return descriptor || p < 0 ? n : n.substring(0, p);
            });
        }
    }
}
