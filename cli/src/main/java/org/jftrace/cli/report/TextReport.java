package org.jftrace.cli.report;

import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.Map;

/**
 * The ftrace text of the records, written as the merge delivers them, in the formats of the live
 * {@code trace} file (the runtime's TraceOutput, after ftrace's trace_output.c and
 * trace_functions_graph.c): the function tracer's {@code TASK-PID [BUF] TIMESTAMP: func <-parent}
 * lines, or function_graph's call graph. A LOST record is ftrace's {@code CPU:N [LOST M EVENTS]} line,
 * where the records went missing. Mono timestamps are seconds since the stream's anchorClock.
 */
public final class TextReport implements RecordSink {

    private static final Map<String, Boolean> DEFAULTS = new HashMap<>();

    static {
        DEFAULTS.put("funcgraph-proc", false);
        DEFAULTS.put("funcgraph-abstime", false);
        DEFAULTS.put("funcgraph-duration", true);
        DEFAULTS.put("funcgraph-tail", false);
        DEFAULTS.put("funcgraph-retval", false);
        DEFAULTS.put("funcgraph-retval-hex", false);
        DEFAULTS.put("funcgraph-cpu", true);
        DEFAULTS.put("funcgraph-overhead", true);
        DEFAULTS.put("sym-descriptor", false);
    }

    private final Writer out;
    private final StringBuilder sb = new StringBuilder(1 << 17);
    private final Jvm jvm;
    private final Map<String, Boolean> options = new HashMap<>(DEFAULTS);
    private final boolean descriptor;
    private final boolean graph;
    private final boolean abstime;
    private final boolean cpu;
    private final boolean proc;
    private final boolean durationColumn;
    private final boolean overhead;
    private final boolean tail;
    private final boolean retval;
    private final boolean hex;
    private final Map<ThreadInfo, OpenStack> open = new HashMap<>();
    private ThreadInfo lastThread;
    private int lastBuffer = -1;

    private TextReport(Jvm jvm, boolean descriptor, Writer out) {
        this.out = out;
        this.jvm = jvm;
        for (String line : jvm.traceOptions.split("\n")) {
            String o = line.trim();
            boolean on = !o.startsWith("no") || DEFAULTS.containsKey(o);
            String name = on ? o : o.substring(2);
            if (DEFAULTS.containsKey(name)) {
                options.put(name, on);
            }
        }
        this.descriptor = descriptor || options.get("sym-descriptor");
        this.graph = jvm.tracer.equals("function_graph") || (!jvm.tracer.equals("function") && jvm.hasGraph);
        this.abstime = options.get("funcgraph-abstime");
        this.cpu = options.get("funcgraph-cpu");
        this.proc = options.get("funcgraph-proc");
        this.durationColumn = options.get("funcgraph-duration");
        this.overhead = options.get("funcgraph-overhead");
        this.tail = options.get("funcgraph-tail");
        this.retval = options.get("funcgraph-retval");
        this.hex = options.get("funcgraph-retval-hex");
    }

    /** Writes every stream's text; with several, each after a {@code # jvm PID} line. */
    public static void write(DataFile data, boolean descriptor, Writer out, Progress progress) throws IOException {
        for (Jvm j : data.jvms) {
            TextReport t = new TextReport(j, descriptor, out);
            if (data.jvms.size() > 1) {
                t.sb.append("# jvm ").append(j.pid).append('\n');
            }
            t.header();
            Merge.run(data, j, t, progress);
            t.flush();
        }
        out.flush();
    }

    private void entries() {
        sb.append("# entries-in-buffer/entries-written: ").append(jvm.kept()).append('/').append(jvm.written()).append("   #P:")
                .append(jvm.bufferCount()).append('\n');
    }

    private void header() {
        sb.append("# tracer: ").append(jvm.tracer).append('\n');
        sb.append("#\n");
        if (!graph) {
            entries();
            sb.append("#\n");
            sb.append("#  TASK: thread name, PID: thread id, BUF#: the thread's trace buffer (the JVM's per-CPU buffer)\n");
            sb.append("#\n");
            sb.append("#           TASK-PID     BUF#     TIMESTAMP  FUNCTION\n");
            sb.append("#              | |         |         |         |\n");
            return;
        }
        if (jvm.lost() > 0) { // the graph's header has no counts unless something is missing
            entries();
            sb.append("#\n");
        }
        sb.append("# BUF: the thread's trace buffer (the JVM's per-CPU buffer); TASK/PID: thread name/id\n");
        sb.append("#\n");
        StringBuilder names = new StringBuilder("#");
        StringBuilder bars = new StringBuilder("#");
        if (abstime) {
            names.append("     TIME       ");
            bars.append("      |         ");
        }
        if (cpu) {
            names.append(" BUF");
            bars.append(" |  ");
        }
        if (proc) {
            names.append("  TASK/PID       ");
            bars.append("   |    |        ");
        }
        if (durationColumn) {
            names.append("  DURATION        ");
            bars.append("   |   |          ");
        }
        names.append("          FUNCTION CALLS\n");
        bars.append("           |   |   |   |\n");
        sb.append(names).append(bars);
    }

    @Override
    public void record(Record r, BufferCursor cursor) throws IOException {
        if (graph) {
            graphLine(r, cursor);
        } else if (r.type == DataFormat.LOST) {
            lostLine(r);
        } else {
            functionLine(r);
        }
        if (sb.length() > 1 << 16) {
            flush();
        }
    }

    /** ftrace's line where a buffer dropped records. */
    private void lostLine(Record r) {
        sb.append("CPU:").append(r.buffer).append(" [LOST ").append(r.count).append(" EVENTS]\n");
    }

    private void flush() throws IOException {
        out.append(sb);
        sb.setLength(0);
    }

    private String name(int ip) {
        return jvm.name(ip, descriptor);
    }

    // ---- function

    private void functionLine(Record r) {
        context(r);
        sb.append(" [").append(pad3(r.buffer)).append("] ");
        if (jvm.isCounter()) {
            String c = Long.toString(r.ts); // " %12llu: ", as for clocks not in ns
            for (int i = c.length(); i < 13; i++) {
                sb.append(' ');
            }
            sb.append(c);
        } else {
            sb.append(' ');
            timestamp(r.ts);
        }
        sb.append(": ");
        switch (r.type) {
            case DataFormat.CALL:
                sb.append(name(r.ip));
                args(r);
                if (r.arg != 0) {
                    sb.append(" <-").append(name(r.arg));
                }
                break;
            case DataFormat.MARKER:
                sb.append("tracing_mark_write: ").append(r.text);
                break;
            case DataFormat.STACK:
                stack(r);
                break;
            case DataFormat.ENTRY:
                sb.append(name(r.ip));
                args(r);
                sb.append(" {");
                break;
            default:
                sb.append("} /* ").append(name(r.ip)).append(" */");
        }
        sb.append('\n');
    }

    private void stack(Record r) {
        sb.append("<stack trace>");
        for (String f : r.frames) {
            sb.append('\n').append(" => ").append(f);
        }
    }

    private void context(Record r) {
        String comm = r.thread.comm();
        if (comm.length() > 16) {
            comm = comm.substring(comm.length() - 16);
        }
        for (int i = comm.length(); i < 16; i++) {
            sb.append(' ');
        }
        sb.append(comm).append('-');
        String pid = Long.toString(r.thread.id);
        sb.append(pid);
        for (int i = pid.length(); i < 7; i++) {
            sb.append(' ');
        }
    }

    private static String pad3(int v) {
        String s = Integer.toString(v);
        return s.length() >= 3 ? s : "000".substring(s.length()) + s;
    }

    /** "%5lu.%06lu" of seconds since the anchor, or the raw count for a counter clock. */
    private void timestamp(long ts) {
        if (jvm.isCounter()) {
            sb.append(ts);
            return;
        }
        long ns = Math.max(0, ts - jvm.anchorClock);
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

    /** The open entries of a thread, to tell a matched return from one whose entry is missing. */
    private static final class OpenStack {
        int[] ip = new int[16];
        int[] depth = new int[16];
        int size;

        void push(int i, int d) {
            if (size == ip.length) {
                ip = java.util.Arrays.copyOf(ip, size * 2);
                depth = java.util.Arrays.copyOf(depth, size * 2);
            }
            ip[size] = i;
            depth[size] = d;
            size++;
        }
    }

    private void graphLine(Record r, BufferCursor cursor) throws IOException {
        if (lastThread != null && r.thread != lastThread && r.buffer == lastBuffer) {
            sb.append(" ------------------------------------------\n");
            sb.append(' ').append(r.buffer).append(")  ").append(lastThread.comm()).append('-').append(lastThread.id)
                    .append("  =>  ").append(r.thread.comm()).append('-').append(r.thread.id).append('\n');
            sb.append(" ------------------------------------------\n\n");
        }
        lastThread = r.thread;
        lastBuffer = r.buffer;
        if (r.type == DataFormat.LOST) {
            lostLine(r);
            return;
        }
        OpenStack stack = open.get(r.thread);
        if (stack == null) {
            stack = new OpenStack();
            open.put(r.thread, stack);
        }
        int type = r.type;
        if (type == DataFormat.ENTRY) {
            // A leaf is an entry whose very next record in its buffer is its own return: one line.
            Record ret = cursor.peek();
            if (ret != null && ret.type == DataFormat.RETURN && ret.ip == r.ip && ret.arg == r.arg && ret.thread.id == r.thread.id) {
                prefix(r, ret.ts - r.ts, true);
                indent(r.arg);
                sb.append(name(r.ip));
                args(r);
                sb.append(';');
                String t = returnText(ret);
                if (t != null) {
                    sb.append(" /* ").append(t).append(" */");
                }
                cursor.skipAhead();
            } else {
                prefix(r, 0, false);
                indent(r.arg);
                sb.append(name(r.ip));
                args(r);
                sb.append(" {");
                stack.push(r.ip, r.arg);
            }
        } else if (type == DataFormat.RETURN) {
            boolean matched = stack.size > 0 && stack.ip[stack.size - 1] == r.ip && stack.depth[stack.size - 1] == r.arg;
            if (matched) {
                stack.size--;
            }
            prefix(r, r.duration, true);
            indent(r.arg);
            sb.append('}');
            String t = returnText(r);
            if (retval && t != null) { // the kernel's "} /* fn ret=-22 */"
                sb.append(" /* ").append(name(r.ip)).append(' ').append(t).append(" */");
            } else {
                if (tail || !matched) {
                    sb.append(" /* ").append(name(r.ip)).append(" */");
                }
                if (t != null) {
                    sb.append(" /* ").append(t).append(" */");
                }
            }
        } else if (type == DataFormat.MARKER) {
            prefix(r, 0, false);
            indent((stack.size == 0 ? 0 : stack.depth[stack.size - 1]) + 1);
            sb.append("/* ").append(r.text).append(" */");
        } else if (type == DataFormat.STACK) {
            prefix(r, 0, false);
            indent((stack.size == 0 ? 0 : stack.depth[stack.size - 1]) + 1);
            sb.append("/* ");
            stack(r);
            sb.append(" */");
        } else {
            prefix(r, 0, false);
            sb.append(name(r.ip)).append(" <-").append(name(r.arg));
        }
        sb.append('\n');
    }

    /** As the live trace: {@code threw [CLASS]}, {@code ret=VALUE} with funcgraph-retval, or null. */
    private String returnText(Record ret) {
        if (!ret.exceptional && !retval) {
            return null;
        }
        return ArgText.ret(ret.exceptional, retval ? ret.ret : null, ret.retval, jvm.function(ret.ip), hex);
    }

    /** {@code (a=1, b="x")} when the record carries arguments; {@code ()} otherwise on a graph line. */
    private void args(Record r) {
        if (r.args != null) {
            sb.append('(').append(ArgText.args(r.args, jvm.parameters(r.ip))).append(')');
        } else if (r.type != DataFormat.CALL) {
            sb.append("()");
        }
    }

    private void indent(int depth) {
        for (int i = 1; i < depth; i++) {
            sb.append("  ");
        }
    }

    /** The columns before FUNCTION CALLS, as print_graph_prologue + print_graph_duration write them. */
    private void prefix(Record r, long duration, boolean hasDuration) {
        if (abstime) {
            timestamp(r.ts);
            sb.append(" |  ");
        }
        if (cpu) {
            sb.append(' ').append(r.buffer).append(") ");
        }
        if (proc) {
            String c = r.thread.comm() + "-" + r.thread.id;
            if (c.length() > 12) {
                c = c.substring(c.length() - 12);
            }
            sb.append(' ').append(c);
            for (int i = c.length(); i < 12; i++) {
                sb.append(' ');
            }
            sb.append(" | ");
        }
        if (durationColumn) {
            if (!hasDuration) {
                sb.append("              |  ");
            } else {
                sb.append(overhead ? mark(duration) : ' ').append(' ');
                duration(duration);
                sb.append("|  ");
            }
        } else {
            sb.append(" |  ");
        }
    }

    /** trace_find_mark. */
    private static char mark(long ns) {
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
    private void duration(long ns) {
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
}
