package org.jftrace.cli.report;

import java.io.IOException;
import java.io.Writer;
import java.util.HashSet;
import java.util.Set;

/**
 * Chrome trace-event JSON (the "JSON Array/Object Format" that the Perfetto UI and chrome://tracing
 * open), written as the merge goes: one process per traced JVM (pid = the JVM's pid), one track per
 * thread (tid = the thread's id), a complete event ({@code "ph":"X"}) per call, written when the call
 * returns (the viewers sort by time). Times are microseconds with three decimals (so nanoseconds are
 * kept exactly), from the earliest time of the file; with the counter clock one count is shown as one
 * nanosecond. Loss: {@code otherData.jftrace} holds the counts, and each LOST record is a
 * process-wide instant event at its place.
 */
public final class ChromeJson implements RecordSink, Calls.Listener {

    private final boolean descriptor;
    private final Writer out;
    private final StringBuilder sb = new StringBuilder(1 << 17);
    private final long origin;
    private Jvm jvm;
    private Calls calls;

    private ChromeJson(DataFile data, boolean descriptor, Writer out) {
        this.descriptor = descriptor;
        this.out = out;
        long o = Long.MAX_VALUE;
        for (Jvm j : data.jvms) {
            o = Math.min(o, j.minTs);
        }
        this.origin = o == Long.MAX_VALUE ? 0 : o;
    }

    public static void write(DataFile data, boolean descriptor, Writer out, Progress progress) throws IOException {
        new ChromeJson(data, descriptor, out).run(data, progress);
    }

    private void run(DataFile data, Progress progress) throws IOException {
        long written = data.written();
        long lost = data.lost();
        sb.append("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"jftrace report\",\"jftrace\":");
        Json.str(sb, Loss.summary(lost, written) + (data.truncatedAt >= 0 ? "; the file is truncated (" + data.truncation
                + ")" : "")).append(",\"records_written\":").append(written).append(",\"records_lost\":").append(lost)
                .append(",\"records_kept\":").append(written - lost);
        for (Jvm j : data.jvms) {
            sb.append(",");
            Json.str(sb, "jvm " + j.pid);
            sb.append(":");
            Json.str(sb, j.description + "; tracer " + j.tracer + "; trace_clock " + j.clock + "; " + Loss.summary(j.lost(), j.written()));
        }
        sb.append("},\n\"traceEvents\":[");
        boolean first = true;
        for (Jvm j : data.jvms) {
            jvm = j;
            sb.append(first ? "\n" : ",\n");
            first = false;
            sb.append("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":").append(j.pid).append(",\"tid\":0,\"args\":{\"name\":");
            Json.str(sb, "java " + j.pid).append("}}");
            Set<Long> named = new HashSet<>();
            for (ThreadInfo t : j.threads()) {
                if (named.add(t.id)) {
                    sb.append(",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":").append(j.pid).append(",\"tid\":").append(t.id)
                            .append(",\"args\":{\"name\":");
                    Json.str(sb, t.label()).append("}}");
                }
            }
            calls = new Calls(j, this);
            Merge.run(data, j, this, progress);
            calls.finish();
            flush();
        }
        sb.append("\n]}\n");
        out.write(sb.toString());
        sb.setLength(0);
        out.flush();
    }

    @Override
    public void record(Record e, BufferCursor cursor) throws IOException {
        if (e.isGraph()) {
            calls.record(e);
            return;
        }
        sb.append(",\n{\"ph\":\"i\",\"s\":\"").append(e.type == DataFormat.LOST ? 'p' : 't').append("\",\"pid\":").append(jvm.pid)
                .append(",\"tid\":").append(e.thread.id).append(",\"ts\":");
        Json.micros(sb, e.ts - origin);
        if (e.type == DataFormat.CALL) {
            sb.append(",\"cat\":\"function\",\"name\":");
            Json.str(sb, jvm.name(e.ip, descriptor));
            sb.append(",\"args\":{\"function\":");
            Json.str(sb, jvm.function(e.ip));
            if (e.arg != 0) {
                sb.append(",\"parent\":");
                Json.str(sb, jvm.function(e.arg));
            }
            ArgJson.args(sb, jvm, e.ip, e.args);
            sb.append("}}");
        } else if (e.type == DataFormat.MARKER) {
            sb.append(",\"cat\":\"trace_marker\",\"name\":");
            Json.str(sb, e.text).append('}');
        } else if (e.type == DataFormat.STACK) {
            sb.append(",\"cat\":\"stacktrace\",\"name\":\"<stack trace>\",\"args\":{\"frames\":[");
            for (int i = 0; i < e.frames.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Json.str(sb, e.frames[i]);
            }
            sb.append("]}}");
        } else {
            sb.append(",\"cat\":\"jftrace\",\"name\":\"LOST ").append(e.count).append(" events\",\"args\":{\"buffer\":")
                    .append(e.buffer).append(",\"lost\":").append(e.count).append("}}");
        }
        flushIfFull();
    }

    @Override
    public void enter(Calls.Frame f) {
    }

    @Override
    public void exit(Calls.Frame f) throws IOException {
        sb.append(",\n{\"ph\":\"X\",\"cat\":\"function\",\"name\":");
        Json.str(sb, jvm.name(f.ip, descriptor));
        sb.append(",\"pid\":").append(jvm.pid).append(",\"tid\":").append(f.thread.id).append(",\"ts\":");
        Json.micros(sb, f.start - origin).append(",\"dur\":");
        Json.micros(sb, f.duration()).append(",\"args\":{\"function\":");
        Json.str(sb, jvm.function(f.ip)).append(",\"depth\":").append(f.depth);
        if (f.threw) {
            sb.append(",\"threw\":true");
        }
        if (f.unfinished) {
            sb.append(",\"unfinished\":true");
        }
        ArgJson.args(sb, jvm, f.ip, f.args);
        if (f.returned) {
            ArgJson.ret(sb, jvm, f.ip, f.threw, f.ret, f.retval);
        }
        sb.append("}}");
        flushIfFull();
    }

    private void flushIfFull() throws IOException {
        if (sb.length() > 1 << 16) {
            flush();
        }
    }

    private void flush() throws IOException {
        out.append(sb);
        sb.setLength(0);
    }
}
