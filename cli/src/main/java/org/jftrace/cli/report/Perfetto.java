package org.jftrace.cli.report;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jftrace.cli.report.Slices.Slice;
import org.jftrace.cli.report.Slices.Track;
import org.jftrace.cli.report.TraceData.Event;
import org.jftrace.cli.report.TraceData.Jvm;

/**
 * Chrome trace-event JSON (the "JSON Array/Object Format" that the Perfetto UI and chrome://tracing
 * open): one process per traced JVM (pid = the JVM's pid), one track per thread (tid = the thread's
 * id), a complete event ({@code "ph":"X"}) per call, nested as the graph nests them. Times are
 * microseconds with three decimals (so nanoseconds are kept exactly), from the earliest record of the
 * file; with the counter clock one count is shown as one nanosecond.
 */
public final class Perfetto {

    private Perfetto() {
    }

    public static void write(TraceData data, boolean descriptor, Writer out) throws IOException {
        long origin = Long.MAX_VALUE;
        for (Jvm j : data.jvms) {
            for (Event e : j.events) {
                origin = Math.min(origin, e.type == TraceData.RETURN ? e.callTime() : e.ts);
            }
        }
        if (origin == Long.MAX_VALUE) {
            origin = 0;
        }
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"jftrace report\"");
        for (Jvm j : data.jvms) {
            sb.append(",");
            Json.str(sb, "jvm " + j.pid);
            sb.append(":");
            Json.str(sb, j.description + "; tracer " + j.tracer + "; trace_clock " + j.clock);
        }
        sb.append("},\n\"traceEvents\":[");
        boolean first = true;
        for (Jvm j : data.jvms) {
            sb.append(first ? "\n" : ",\n");
            first = false;
            sb.append("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":").append(j.pid).append(",\"tid\":0,\"args\":{\"name\":");
            Json.str(sb, "java " + j.pid).append("}}");
            List<Track> tracks = Slices.tracks(j);
            List<Long> named = new ArrayList<>();
            for (TraceData.ThreadInfo t : j.threads) {
                if (named.contains(t.id)) {
                    continue;
                }
                named.add(t.id);
                sb.append(",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":").append(j.pid).append(",\"tid\":").append(t.id)
                        .append(",\"args\":{\"name\":");
                Json.str(sb, t.label()).append("}}");
            }
            for (Track t : tracks) {
                List<Slice> slices = new ArrayList<>(t.slices);
                slices.sort(Comparator.comparingLong((Slice s) -> s.start).thenComparing(s -> -s.end));
                for (Slice s : slices) {
                    sb.append(",\n{\"ph\":\"X\",\"cat\":\"function\",\"name\":");
                    Json.str(sb, Slices.name(j, s.ip, descriptor));
                    sb.append(",\"pid\":").append(j.pid).append(",\"tid\":").append(t.thread.id).append(",\"ts\":");
                    Json.micros(sb, s.start - origin).append(",\"dur\":");
                    Json.micros(sb, s.duration()).append(",\"args\":{\"function\":");
                    Json.str(sb, j.function(s.ip)).append(",\"depth\":").append(s.depth);
                    if (s.exceptional) {
                        sb.append(",\"threw\":true");
                    }
                    if (s.unfinished) {
                        sb.append(",\"unfinished\":true");
                    }
                    sb.append("}}");
                    flush(sb, out);
                }
            }
            for (Event e : j.events) {
                if (e.type == TraceData.ENTRY || e.type == TraceData.RETURN) {
                    continue;
                }
                sb.append(",\n{\"ph\":\"i\",\"s\":\"t\",\"pid\":").append(j.pid).append(",\"tid\":").append(e.thread.id)
                        .append(",\"ts\":");
                Json.micros(sb, e.ts - origin);
                if (e.type == TraceData.CALL) {
                    sb.append(",\"cat\":\"function\",\"name\":");
                    Json.str(sb, Slices.name(j, e.ip, descriptor));
                    sb.append(",\"args\":{\"function\":");
                    Json.str(sb, j.function(e.ip));
                    if (e.arg != 0) {
                        sb.append(",\"parent\":");
                        Json.str(sb, j.function(e.arg));
                    }
                    sb.append("}}");
                } else if (e.type == TraceData.MARKER) {
                    sb.append(",\"cat\":\"trace_marker\",\"name\":");
                    Json.str(sb, (String) e.side).append('}');
                } else {
                    sb.append(",\"cat\":\"stacktrace\",\"name\":\"<stack trace>\",\"args\":{\"frames\":[");
                    String[] frames = (String[]) e.side;
                    for (int i = 0; i < frames.length; i++) {
                        if (i > 0) {
                            sb.append(',');
                        }
                        Json.str(sb, frames[i]);
                    }
                    sb.append("]}}");
                }
                flush(sb, out);
            }
        }
        sb.append("\n]}\n");
        out.write(sb.toString());
        out.flush();
    }

    private static void flush(StringBuilder sb, Writer out) throws IOException {
        if (sb.length() > 1 << 16) {
            out.write(sb.toString());
            sb.setLength(0);
        }
    }
}
