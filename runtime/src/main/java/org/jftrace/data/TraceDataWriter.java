package org.jftrace.data;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;
import org.jftrace.ftrace.DynFtrace;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ring.RecordDescriptor;
import org.jftrace.ring.TraceRecord;
import org.jftrace.trace.TraceInstance;
import org.jftrace.trace.Tracefs;

/**
 * Writes jftrace's trace data file ({@code jftrace record --data FILE}, agent option {@code data=FILE}):
 * the records of one instance's buffers as they were at exit, with the names of their functions and
 * threads, so that {@code jftrace report} can draw pictures from them (Perfetto timeline, flame graph,
 * JFR events) and print the ftrace text.
 *
 * <h2>Format, version 1</h2>
 * A file is one or more <em>frames</em>, one per traced JVM (files may be concatenated):
 * <pre>
 *   frame  := magic "JFTRDATA" (8 bytes ASCII) | u16 version (1) | u16 flags (bit 0: body is gzip)
 *             | u64 bodyLength | body (bodyLength bytes)
 *   body   := item* END            (after gunzip when flag bit 0 is set; integers big-endian)
 *   item   := u8 tag, then the tag's fields:
 *     0  END
 *     1  HEADER    str tracer | str clock ("mono": ns of System.nanoTime; "counter": a count)
 *                  | vlong pid | i64 anchorClock | i64 anchorEpochNanos (wall clock, ns since 1970, read
 *                  together with anchorClock: wall(ts) = anchorEpochNanos + ts - anchorClock, for mono)
 *                  | str traceOptions (the trace_options file) | str description (java.version, command)
 *     2  FUNCTION  vint ip | str name             (e.g. "com.acme.Foo.bar(I)V"; before its first use)
 *     3  THREAD    vint key | vlong threadId | str name | u8 virtual (0/1)   (before its first use)
 *     4  TEXT      str text                        (the trace file's ftrace text, as rendered at exit)
 *    10  ENTRY     vint thread | zlong dts | vint buffer | vint ip | vint depth
 *    11  RETURN    vint thread | zlong dts | vint buffer | vint ip | vint depth | vlong duration
 *                  (timestamp - calltime) | u8 flags (bit 0: exited by throwing) | zlong returnValueBits
 *    12  CALL      vint thread | zlong dts | vint buffer | vint ip | vint parentIp   (function tracer)
 *    13  MARKER    vint thread | zlong dts | vint buffer | str text                 (trace_marker)
 *    14  STACK     vint thread | zlong dts | vint buffer | vint n | str frame * n    (stacktrace command)
 *   vint/vlong: unsigned LEB128; zlong: zig-zag LEB128; str: vint byte length + UTF-8 bytes
 *   dts: the record's timestamp minus the previous record's in this frame (the first: minus 0), so
 *        timestamps are absolute trace_clock values. Records are in the trace file's order (timestamp).
 * </pre>
 * A reader must reject a version it does not know and an unknown tag.
 */
public final class TraceDataWriter implements Closeable {

    public static final byte[] MAGIC = "JFTRDATA".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    public static final int FLAG_GZIP = 1;

    public static final int END = 0;
    public static final int HEADER = 1;
    public static final int FUNCTION = 2;
    public static final int THREAD = 3;
    public static final int TEXT = 4;
    public static final int ENTRY = 10;
    public static final int RETURN = 11;
    public static final int CALL = 12;
    public static final int MARKER = 13;
    public static final int STACK = 14;

    private final OutputStream target;
    private final boolean gzip;
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream(1 << 16);
    private final OutputStream body;
    private final Map<Integer, String> functions = new HashMap<>();
    private final Map<ThreadKey, Integer> threads = new HashMap<>();
    private long lastTs;
    private boolean closed;

    /** A frame written to {@code target} on {@link #close()} (which does not close {@code target}). */
    public TraceDataWriter(OutputStream target, boolean gzip) throws IOException {
        this.target = target;
        this.gzip = gzip;
        this.body = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
    }

    /**
     * Writes {@code ti}'s buffers (a snapshot, nothing consumed) and the ftrace text {@code text} to
     * {@code file}, gzip-compressed.
     */
    public static void write(Path file, TraceInstance ti, String text) throws IOException {
        List<TraceRecord> records = ti.buffers().snapshot();
        try (OutputStream out = Files.newOutputStream(file); TraceDataWriter w = new TraceDataWriter(out, true)) {
            Tracefs fs = Tracefs.jvm();
            String prefix = ti.name().isEmpty() ? "" : "instances/" + ti.name() + "/";
            String clock = fs.read(prefix + "trace_clock");
            int a = clock.indexOf('[');
            clock = clock.substring(a + 1, clock.indexOf(']', a));
            long anchor = clock.equals("mono") ? System.nanoTime() : 0;
            Instant now = Instant.now();
            String cmd = ProcessHandle.current().info().commandLine().orElse("");
            w.header(ti.tracer().name(), clock, ProcessHandle.current().pid(), anchor,
                    now.getEpochSecond() * 1_000_000_000L + now.getNano(), fs.read(prefix + "trace_options"),
                    "java " + System.getProperty("java.version") + (cmd.isEmpty() ? "" : ": " + cmd));
            for (TraceRecord r : records) {
                w.record(r);
            }
            if (text != null) {
                w.text(text);
            }
        }
    }

    public void header(String tracer, String clock, long pid, long anchorClock, long anchorEpochNanos,
                       String traceOptions, String description) throws IOException {
        tag(HEADER);
        str(tracer);
        str(clock);
        vlong(pid);
        i64(anchorClock);
        i64(anchorEpochNanos);
        str(traceOptions);
        str(description);
    }

    public void text(String text) throws IOException {
        tag(TEXT);
        str(text);
    }

    /** One record of the ring, with its function and thread names. */
    public void record(TraceRecord r) throws IOException {
        String thread = r.threadName();
        switch (r.type()) {
            case RecordDescriptor.TYPE_GRAPH_ENTRY:
                entry(r.threadId(), thread, r.isVirtualThread(), r.timestamp(), r.bufferId(), r.ip(), name(r.ip()), r.depth());
                break;
            case RecordDescriptor.TYPE_GRAPH_RETURN:
                ret(r.threadId(), thread, r.isVirtualThread(), r.timestamp(), r.bufferId(), r.ip(), name(r.ip()), r.depth(),
                        r.callTime(), r.exceptional(), r.returnValueBits());
                break;
            case RecordDescriptor.TYPE_FUNCTION:
                call(r.threadId(), thread, r.isVirtualThread(), r.timestamp(), r.bufferId(), r.ip(), name(r.ip()),
                        r.parentIp(), r.parentIp() == 0 ? null : name(r.parentIp()));
                break;
            case RecordDescriptor.TYPE_MARKER:
                marker(r.threadId(), thread, r.isVirtualThread(), r.timestamp(), r.bufferId(), r.markerText());
                break;
            case RecordDescriptor.TYPE_STACK: {
                StackTraceElement[] st = r.stack();
                String[] frames = new String[st == null ? 0 : st.length];
                for (int i = 0; i < frames.length; i++) {
                    frames[i] = st[i].getClassName() + "." + st[i].getMethodName();
                }
                stack(r.threadId(), thread, r.isVirtualThread(), r.timestamp(), r.bufferId(), frames);
                break;
            }
            default:
                break;
        }
    }

    private static String name(int ip) {
        DynFtrace rec = Ftrace.records().get(ip);
        return rec == null ? "0x" + Integer.toHexString(ip) : rec.name();
    }

    public void entry(long tid, String tname, boolean virtual, long ts, int buffer, int ip, String fname, int depth)
            throws IOException {
        int t = thread(tid, tname, virtual);
        function(ip, fname);
        tag(ENTRY);
        common(t, ts, buffer);
        vlong(ip);
        vlong(depth);
    }

    public void ret(long tid, String tname, boolean virtual, long ts, int buffer, int ip, String fname, int depth,
                    long callTime, boolean exceptional, long retval) throws IOException {
        int t = thread(tid, tname, virtual);
        function(ip, fname);
        tag(RETURN);
        common(t, ts, buffer);
        vlong(ip);
        vlong(depth);
        vlong(ts - callTime);
        body.write(exceptional ? 1 : 0);
        zlong(retval);
    }

    public void call(long tid, String tname, boolean virtual, long ts, int buffer, int ip, String fname, int parentIp,
                     String parentName) throws IOException {
        int t = thread(tid, tname, virtual);
        function(ip, fname);
        if (parentIp != 0) {
            function(parentIp, parentName);
        }
        tag(CALL);
        common(t, ts, buffer);
        vlong(ip);
        vlong(parentIp);
    }

    public void marker(long tid, String tname, boolean virtual, long ts, int buffer, String text) throws IOException {
        int t = thread(tid, tname, virtual);
        tag(MARKER);
        common(t, ts, buffer);
        str(text == null ? "" : text);
    }

    public void stack(long tid, String tname, boolean virtual, long ts, int buffer, String[] frames) throws IOException {
        int t = thread(tid, tname, virtual);
        tag(STACK);
        common(t, ts, buffer);
        vlong(frames.length);
        for (String f : frames) {
            str(f);
        }
    }

    private void common(int thread, long ts, int buffer) throws IOException {
        vlong(thread);
        zlong(ts - lastTs);
        lastTs = ts;
        vlong(buffer);
    }

    private void function(int ip, String name) throws IOException {
        if (!functions.containsKey(ip)) {
            functions.put(ip, name);
            tag(FUNCTION);
            vlong(ip);
            str(name);
        }
    }

    private int thread(long tid, String name, boolean virtual) throws IOException {
        ThreadKey k = new ThreadKey(tid, name == null ? "" : name, virtual);
        Integer key = threads.get(k);
        if (key == null) {
            key = threads.size();
            threads.put(k, key);
            tag(THREAD);
            vlong(key);
            vlong(tid < 0 ? 0 : tid);
            str(k.name);
            body.write(virtual ? 1 : 0);
        }
        return key;
    }

    private void tag(int t) throws IOException {
        body.write(t);
    }

    private void str(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        vlong(b.length);
        body.write(b);
    }

    private void i64(long v) throws IOException {
        for (int i = 56; i >= 0; i -= 8) {
            body.write((int) (v >>> i));
        }
    }

    private void vlong(long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            body.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        body.write((int) v);
    }

    private void zlong(long v) throws IOException {
        vlong((v << 1) ^ (v >> 63));
    }

    /** Ends the body and writes the frame to the target. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        tag(END);
        body.close();
        byte[] b = raw.toByteArray();
        byte[] head = new byte[20];
        System.arraycopy(MAGIC, 0, head, 0, 8);
        head[8] = 0;
        head[9] = (byte) VERSION;
        head[10] = 0;
        head[11] = (byte) (gzip ? FLAG_GZIP : 0);
        long len = b.length;
        for (int i = 0; i < 8; i++) {
            head[12 + i] = (byte) (len >>> (56 - 8 * i));
        }
        target.write(head);
        target.write(b);
        target.flush();
    }

    private static final class ThreadKey {
        final long tid;
        final String name;
        final boolean virtual;

        ThreadKey(long tid, String name, boolean virtual) {
            this.tid = tid;
            this.name = name;
            this.virtual = virtual;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ThreadKey && ((ThreadKey) o).tid == tid && ((ThreadKey) o).virtual == virtual
                    && ((ThreadKey) o).name.equals(name);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tid, name, virtual);
        }
    }
}
