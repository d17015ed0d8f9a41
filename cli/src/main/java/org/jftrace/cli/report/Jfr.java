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

/**
 * The trace as JFR events in a .jfr file that {@code jfr print} and JDK Mission Control read.
 *
 * <p>jdk.jfr stamps each event with the time of its own {@code commit()}, and has no public way to
 * set another start or duration. The events are therefore committed in the trace's order, each call
 * when it returns (so JFR's startTime keeps that order), and the traced figures travel in fields of their own: the call's start
 * as a wall-clock timestamp ({@code traceStart}, and {@code traceOffset} in ns from the first record),
 * its duration ({@code traceDuration}) and self time. JFR's own {@code duration} of these events is
 * 0 and means nothing. A LOST record of the trace is a {@code jftrace.LostEvents} event.
 */
public final class Jfr implements RecordSink, Calls.Listener {

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
        @Label("Arguments") @Description("name=value, ... as the trace prints them (funcgraph-args), else empty")
        String arguments;
        @Label("Return Value") @Description("As the trace prints it (funcgraph-retval), else empty")
        String returnValue;
        @Label("Exception") @Description("The class of the exception the call threw, if funcgraph-retval recorded it")
        String exception;
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

    @Name("jftrace.LostEvents")
    @Label("Lost Events")
    @Category({"jftrace"})
    @Description("Records of the trace that are missing here: the buffer was full or was overwritten before it was saved")
    @StackTrace(false)
    static final class LostEvents extends Event {
        @Label("Buffer")
        int buffer;
        @Label("Traced Thread")
        String tracedThread;
        @Label("Traced Thread Id")
        long tracedThreadId;
        @Label("Count") @Description("Records lost here")
        long count;
        @Label("Trace Time") @Description("When the loss was seen (wall clock, ms precision)")
        @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
        long traceTime;
        @Label("Trace Offset")
        @Timespan(Timespan.NANOSECONDS)
        long traceOffset;
        @Label("Traced JVM")
        long pid;
    }

    /** The figures of a report written to JFR. */
    public static final class Result {
        public long calls;
        public long callsKept;
        public long lostEvents;
    }

    private final long origin;
    private final Result result = new Result();
    private Jvm jvm;
    private Calls calls;

    private Jfr(DataFile data) {
        long o = Long.MAX_VALUE;
        for (Jvm j : data.jvms) {
            o = Math.min(o, j.minTs);
        }
        origin = o == Long.MAX_VALUE ? 0 : o;
    }

    /** Writes the events to {@code file} as the merge delivers the calls. */
    public static Result write(DataFile data, Path file, Progress progress) throws IOException {
        Jfr w = new Jfr(data);
        try (Recording r = new Recording()) {
            r.setName("jftrace report");
            r.enable(FunctionCall.class).withoutStackTrace().withThreshold(Duration.ZERO);
            r.enable(Marker.class).withoutStackTrace().withThreshold(Duration.ZERO);
            r.enable(LostEvents.class).withoutStackTrace().withThreshold(Duration.ZERO);
            r.setToDisk(true);
            r.start();
            for (Jvm j : data.jvms) {
                w.jvm = j;
                w.calls = new Calls(j, w);
                Merge.run(data, j, w, progress);
                w.calls.finish();
            }
            r.stop();
            r.dump(file);
        }
        // JFR drops events when its buffers fill faster than it writes them: count what it kept
        try (RecordingFile f = new RecordingFile(file)) {
            while (f.hasMoreEvents()) {
                if (f.readEvent().getEventType().getName().equals("jftrace.FunctionCall")) {
                    w.result.callsKept++;
                }
            }
        }
        return w.result;
    }

    @Override
    public void record(org.jftrace.cli.report.Record e, BufferCursor cursor) throws IOException {
        if (e.isGraph()) {
            calls.record(e);
        } else if (e.type == DataFormat.MARKER) {
            Marker m = new Marker();
            m.text = e.text;
            m.tracedThread = e.thread.label();
            m.tracedThreadId = e.thread.id;
            m.traceOffset = e.ts - origin;
            m.pid = jvm.pid;
            m.commit();
        } else if (e.type == DataFormat.LOST) {
            LostEvents l = new LostEvents();
            l.buffer = e.buffer;
            l.tracedThread = e.thread.label();
            l.tracedThreadId = e.thread.id;
            l.count = e.count;
            l.traceTime = jvm.wallNanos(e.ts) / 1_000_000L;
            l.traceOffset = e.ts - origin;
            l.pid = jvm.pid;
            l.commit();
            result.lostEvents += e.count;
        }
    }

    @Override
    public void enter(Calls.Frame f) {
    }

    @Override
    public void exit(Calls.Frame f) {
        FunctionCall e = new FunctionCall();
        e.method = jvm.function(f.ip);
        e.caller = f.parent == null ? "" : jvm.function(f.parent.ip);
        e.tracedThread = f.thread.label();
        e.tracedThreadId = f.thread.id;
        e.virtualThread = f.thread.virtual;
        e.depth = f.level;
        e.traceStart = jvm.wallNanos(f.start) / 1_000_000L;
        e.traceOffset = f.start - origin;
        e.traceDuration = f.duration();
        e.selfTime = f.self();
        e.threw = f.threw;
        e.unfinished = f.unfinished;
        e.arguments = f.args == null ? "" : ArgText.args(f.args, jvm.parameters(f.ip));
        e.returnValue = "";
        e.exception = "";
        if (f.returned && f.threw) {
            e.exception = f.ret != null && f.ret.kind == ArgValue.THROWN ? f.ret.text : "";
        } else if (f.returned && (f.ret != null || jvm.option("funcgraph-retval"))) {
            String v = ArgText.value(f.ret, f.retval, jvm.function(f.ip), jvm.option("funcgraph-retval-hex"));
            e.returnValue = v == null ? "" : v;
        }
        e.pid = jvm.pid;
        e.commit();
        result.calls++;
    }
}
