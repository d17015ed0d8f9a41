package org.jftrace.cli.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import jdk.jfr.Timestamp;
import jdk.jfr.consumer.RecordingFile;
import org.jftrace.cli.report.Slices.Slice;
import org.jftrace.cli.report.Slices.Track;
import org.jftrace.cli.report.TraceData.Jvm;

/**
 * The trace as JFR events in a .jfr file that {@code jfr print} and JDK Mission Control read.
 *
 * <p>jdk.jfr stamps each event with the time of its own {@code commit()}, and has no public way to
 * set another start or duration. The events are therefore committed in the trace's order (so JFR's
 * startTime keeps that order), and the traced figures travel in fields of their own: the call's start
 * as a wall-clock timestamp ({@code traceStart}, and {@code traceOffset} in ns from the first record),
 * its duration ({@code traceDuration}) and self time. JFR's own {@code duration} of these events is
 * 0 and means nothing.
 */
public final class Jfr {

    private Jfr() {
    }

    @Name("jftrace.FunctionCall")
    @Label("Function Call")
    @Category({"jftrace"})
    @Description("One call traced by jftrace's function_graph tracer: its figures are in the trace* fields")
    @StackTrace(false)
    static final class FunctionCall extends Event {
        @Label("Method") @Description("The function, with its descriptor")
        String method;
        @Label("Caller") @Description("The traced function that called it (empty for a root)")
        String caller;
        @Label("Traced Thread")
        String tracedThread;
        @Label("Traced Thread Id")
        long tracedThreadId;
        @Label("Virtual Thread")
        boolean virtualThread;
        @Label("Depth") @Description("Nesting level among the traced calls of the thread, from 0")
        int depth;
        @Label("Trace Start") @Description("When the call began (wall clock, ms precision; see Trace Offset for ns)")
        @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
        long traceStart;
        @Label("Trace Offset") @Description("When the call began, from the first record of the trace")
        @Timespan(Timespan.NANOSECONDS)
        long traceOffset;
        @Label("Trace Duration") @Description("How long the call took (trace_clock counter: a count, not ns)")
        @Timespan(Timespan.NANOSECONDS)
        long traceDuration;
        @Label("Self Time") @Description("The duration less the traced children's")
        @Timespan(Timespan.NANOSECONDS)
        long selfTime;
        @Label("Threw") @Description("The call exited by throwing")
        boolean threw;
        @Label("Unfinished") @Description("Still running when the trace was written")
        boolean unfinished;
        @Label("Traced JVM")
        long pid;
    }

    @Name("jftrace.Marker")
    @Label("Trace Marker")
    @Category({"jftrace"})
    @StackTrace(false)
    static final class Marker extends Event {
        @Label("Text")
        String text;
        @Label("Traced Thread")
        String tracedThread;
        @Label("Traced Thread Id")
        long tracedThreadId;
        @Label("Trace Offset")
        @Timespan(Timespan.NANOSECONDS)
        long traceOffset;
        @Label("Traced JVM")
        long pid;
    }

    /** Writes the events to {@code file}; returns the number of FunctionCall events written. */
    public static long write(TraceData data, Path file) throws IOException {
        long origin = Long.MAX_VALUE;
        for (Jvm j : data.jvms) {
            for (TraceData.Event e : j.events) {
                origin = Math.min(origin, e.type == TraceData.RETURN ? e.callTime() : e.ts);
            }
        }
        long count = 0;
        try (Recording r = new Recording()) {
            r.setName("jftrace report");
            r.enable(FunctionCall.class).withoutStackTrace().withThreshold(Duration.ZERO);
            r.enable(Marker.class).withoutStackTrace().withThreshold(Duration.ZERO);
            r.setToDisk(true);
            r.start();
            for (Jvm j : data.jvms) {
                for (Track t : Slices.tracks(j)) {
                    for (Slice s : t.slices) {
                        FunctionCall e = new FunctionCall();
                        e.method = j.function(s.ip);
                        e.caller = s.parent == null ? "" : j.function(s.parent.ip);
                        e.tracedThread = t.thread.label();
                        e.tracedThreadId = t.thread.id;
                        e.virtualThread = t.thread.virtual;
                        e.depth = s.level();
                        e.traceStart = j.wallNanos(s.start) / 1_000_000L;
                        e.traceOffset = s.start - origin;
                        e.traceDuration = s.duration();
                        e.selfTime = s.self();
                        e.threw = s.exceptional;
                        e.unfinished = s.unfinished;
                        e.pid = j.pid;
                        e.commit();
                        count++;
                    }
                }
                for (TraceData.Event ev : j.events) {
                    if (ev.type == TraceData.MARKER) {
                        Marker m = new Marker();
                        m.text = (String) ev.side;
                        m.tracedThread = ev.thread.label();
                        m.tracedThreadId = ev.thread.id;
                        m.traceOffset = ev.ts - origin;
                        m.pid = j.pid;
                        m.commit();
                    }
                }
            }
            r.stop();
            r.dump(file);
        }
        long read = 0;
        try (RecordingFile f = new RecordingFile(file)) {
            while (f.hasMoreEvents()) {
                if (f.readEvent().getEventType().getName().equals("jftrace.FunctionCall")) {
                    read++;
                }
            }
        }
        if (read != count) {
            System.err.println("jftrace report: JFR kept " + read + " of " + count + " events");
        }
        return read;
    }
}
