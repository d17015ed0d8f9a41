package org.jftrace.cli.perfetto;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jftrace.cli.report.ArgText;
import org.jftrace.cli.report.ArgValue;
import org.jftrace.cli.report.BufferCursor;
import org.jftrace.cli.report.Calls;
import org.jftrace.cli.report.DataFile;
import org.jftrace.cli.report.Jvm;
import org.jftrace.cli.report.Merge;
import org.jftrace.cli.report.Progress;
import org.jftrace.cli.report.Record;
import org.jftrace.cli.report.RecordSink;
import org.jftrace.cli.report.ThreadInfo;

/**
 * The trace as Perfetto's protobuf trace (a Trace of TracePackets), written as the merge goes: one
 * packet sequence per traced JVM, a process track per JVM and a thread track per thread, a slice
 * (begin and end events) per call of the graph, nested as the graph is, an instant event per
 * function-tracer call, trace marker and stack trace, and a process-wide instant event where records
 * were lost. The annotations are those of the chrome-json format, less the depth (the nesting shows it):
 * a call's arguments on its begin event, its return value or exception on its end event, whose
 * annotations Perfetto's trace processor adds to the slice's args as it closes the slice.
 */
public final class PerfettoTrace implements RecordSink, Calls.Listener {

    /** What the file holds. */
    public static final class Result {
        public long slices;
        public long instants;
        public long bytes;
    }

    /** A frame whose begin event is written (its entry was in the data). */
    private static final Object BEGUN = new Object();

    private final boolean descriptor;
    private final Result result = new Result();
    private Jvm jvm;
    private Packets packets;
    private Calls calls;
    private long processTrack;
    private final Map<Long, long[]> threads = new HashMap<>();
    private Record current;

    private PerfettoTrace(boolean descriptor) {
        this.descriptor = descriptor;
    }

    public static Result write(DataFile data, boolean descriptor, Path file, Progress progress) throws IOException {
        PerfettoTrace w = new PerfettoTrace(descriptor);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            w.run(data, out, progress);
        }
        return w.result;
    }

    private void run(DataFile data, OutputStream out, Progress progress) throws IOException {
        List<Jvm> jvms = data.jvms;
        long uuid = 1;
        for (int i = 0; i < jvms.size(); i++) {
            jvm = jvms.get(i);
            packets = new Packets(out, i + 1);
            packets.start(jvm.minTs() == Long.MAX_VALUE ? 0 : jvm.minTs());
            processTrack = uuid++;
            packets.track(processTrack, 0, jvm.pid, 0, "java " + jvm.pid, false);
            threads.clear();
            for (ThreadInfo t : jvm.threads()) {
                if (!threads.containsKey(t.id)) {
                    long track = uuid++;
                    threads.put(t.id, new long[] {track, 0}); // the track, and the slices open on it
                    packets.track(track, processTrack, jvm.pid, t.id, t.label(), true);
                }
            }
            calls = new Calls(jvm, this);
            Merge.run(data, jvm, this, progress);
            calls.finish();
            result.bytes += packets.bytes;
        }
    }

    private long[] thread(ThreadInfo t) {
        return threads.get(t.id);
    }

    @Override
    public void record(Record e, BufferCursor cursor) throws IOException {
        current = e;
        if (e.isGraph()) {
            calls.record(e);
            return;
        }
        long track = thread(e.thread)[0];
        switch (e.type) {
            case Record.CALL:
                packets.begin(Fields.TYPE_INSTANT, track).name(jvm.name(e.ip, descriptor))
                        .internedString(Packets.FUNCTION, jvm.function(e.ip));
                if (e.arg != 0) {
                    packets.internedString(Packets.PARENT, jvm.function(e.arg));
                }
                if (e.args != null) {
                    packets.arguments(e.args, jvm.parameters(e.ip));
                }
                break;
            case Record.MARKER:
                packets.begin(Fields.TYPE_INSTANT, track).literalName(e.text);
                break;
            case Record.STACK:
                packets.begin(Fields.TYPE_INSTANT, track).name("<stack trace>").string(Packets.FRAMES, String.join("\n", e.frames));
                break;
            default: // LOST: on the process's track, as the JSON's process-wide instant
                packets.begin(Fields.TYPE_INSTANT, processTrack).literalName("LOST " + e.count + " events")
                        .uint(Packets.BUFFER, e.buffer).uint(Packets.LOST, e.count);
        }
        packets.event(e.ts);
        result.instants++;
    }

    @Override
    public void enter(Calls.Frame f) throws IOException {
        if (current.type == Record.RETURN) { // a return whose entry is not in the data: begun when it closes
            f.node = null;
            return;
        }
        long[] t = thread(f.thread);
        closeDropped(t, f.level, current.ts);
        begin(t, f);
        f.node = BEGUN;
    }

    @Override
    public void exit(Calls.Frame f) throws IOException {
        long[] t = thread(f.thread);
        if (f.node != BEGUN) {
            closeDropped(t, f.level, f.end);
            begin(t, f);
        }
        closeDropped(t, f.level + 1, f.end);
        packets.begin(Fields.TYPE_SLICE_END, t[0]);
        if (f.threw) {
            packets.flag(Packets.THREW);
        }
        if (f.unfinished) {
            packets.flag(Packets.UNFINISHED);
        }
        if (f.returned) {
            returned(f);
        }
        packets.event(f.end);
        t[1]--;
        result.slices++;
    }

    /** As chrome-json's args: the exception's class, or the return value (typed unless in hex or a char). */
    private void returned(Calls.Frame f) {
        ArgValue ret = f.ret;
        if (f.threw) {
            if (ret != null && ret.kind == ArgValue.THROWN) {
                packets.internedString("exception", ret.text);
            }
            return;
        }
        boolean hex = jvm.option("funcgraph-retval-hex");
        if (ret != null) {
            if (hex && ret.kind == ArgValue.INT) {
                packets.string("return", ArgText.value(ret, 0, "", true));
            } else {
                packets.value("return", ret);
            }
            return;
        }
        if (!jvm.option("funcgraph-retval")) {
            return;
        }
        String function = jvm.function(f.ip);
        int p = function.indexOf(')');
        char type = p >= 0 && p + 1 < function.length() ? function.charAt(p + 1) : 'V';
        boolean text = hex && "BSIJ".indexOf(type) >= 0; // funcgraph-retval-hex: integers as their hex text
        switch (text ? 'C' : type) {
            case 'Z':
                packets.bool("return", f.retval != 0);
                break;
            case 'B':
            case 'S':
            case 'I':
                packets.integer("return", (int) f.retval);
                break;
            case 'J':
                packets.integer("return", f.retval);
                break;
            case 'F':
                packets.real("return", ArgValue.decimal(Float.intBitsToFloat((int) f.retval)));
                break;
            case 'D':
                packets.real("return", Double.longBitsToDouble(f.retval));
                break;
            default: {
                String v = ArgText.value(null, f.retval, function, hex);
                if (v != null) {
                    packets.string("return", v);
                }
            }
        }
    }

    private void begin(long[] t, Calls.Frame f) throws IOException {
        packets.begin(Fields.TYPE_SLICE_BEGIN, t[0]).name(jvm.name(f.ip, descriptor))
                .internedString(Packets.FUNCTION, jvm.function(f.ip));
        if (f.args != null) {
            packets.arguments(f.args, jvm.parameters(f.ip));
        }
        packets.event(f.start);
        t[1]++;
    }

    /** Ends the slices above {@code level} that the graph dropped (their returns were lost), at {@code ts}. */
    private void closeDropped(long[] t, int level, long ts) throws IOException {
        while (t[1] > level) {
            packets.begin(Fields.TYPE_SLICE_END, t[0]);
            packets.event(ts);
            t[1]--;
            result.slices++;
        }
    }
}
