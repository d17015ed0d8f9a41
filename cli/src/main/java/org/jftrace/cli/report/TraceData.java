package org.jftrace.cli.report;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads a trace data file written by the agent ({@code org.jftrace.data.TraceDataWriter}; the format
 * is documented there and in the README): one {@link Jvm} per frame.
 */
public final class TraceData {

    static final byte[] MAGIC = "JFTRDATA".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;

    static final int END = 0;
    static final int HEADER = 1;
    static final int FUNCTION = 2;
    static final int THREAD = 3;
    static final int TEXT = 4;
    static final int ENTRY = 10;
    static final int RETURN = 11;
    static final int CALL = 12;
    static final int MARKER = 13;
    static final int STACK = 14;

    public final List<Jvm> jvms;

    private TraceData(List<Jvm> jvms) {
        this.jvms = jvms;
    }

    /** A traced thread. */
    public static final class ThreadInfo {
        public final long id;
        public final String name;
        public final boolean virtual;

        ThreadInfo(long id, String name, boolean virtual) {
            this.id = id;
            this.name = name;
            this.virtual = virtual;
        }

        /** "name" or "name (virtual)"; "&lt;vthread&gt;" for an unnamed virtual thread. */
        public String label() {
            String n = name.isEmpty() ? (virtual ? "<vthread>" : "<...>") : name;
            return virtual ? n + " (virtual)" : n;
        }
    }

    /** One record. */
    public static final class Event {
        public final int type;
        public final ThreadInfo thread;
        public final long ts;
        public final int buffer;
        public final int ip;
        /** depth (ENTRY/RETURN), parent ip (CALL). */
        public final int arg;
        /** RETURN: timestamp minus calltime. */
        public final long duration;
        public final boolean exceptional;
        public final long retval;
        /** MARKER: text; STACK: frames. */
        public final Object side;

        Event(int type, ThreadInfo thread, long ts, int buffer, int ip, int arg, long duration, boolean exceptional,
              long retval, Object side) {
            this.type = type;
            this.thread = thread;
            this.ts = ts;
            this.buffer = buffer;
            this.ip = ip;
            this.arg = arg;
            this.duration = duration;
            this.exceptional = exceptional;
            this.retval = retval;
            this.side = side;
        }

        public long callTime() {
            return ts - duration;
        }
    }

    /** The data of one JVM. */
    public static final class Jvm {
        public String tracer = "";
        public String clock = "mono";
        public long pid;
        public long anchorClock;
        public long anchorEpochNanos;
        public String traceOptions = "";
        public String description = "";
        public String text;
        public final Map<Integer, String> functions = new HashMap<>();
        public final List<ThreadInfo> threads = new ArrayList<>();
        public final List<Event> events = new ArrayList<>();

        /** The function's full name (with its descriptor), or 0x... for an unknown ip. */
        public String function(int ip) {
            String n = functions.get(ip);
            return n != null ? n : "0x" + Integer.toHexString(ip);
        }

        public boolean isCounter() {
            return !"mono".equals(clock); // counter, local_counter: counts, not nanoseconds
        }

        /** Wall-clock time (ns since 1970) of a mono timestamp. */
        public long wallNanos(long ts) {
            return isCounter() ? anchorEpochNanos : anchorEpochNanos + (ts - anchorClock);
        }
    }

    /** @return whether the file starts with the data file's magic. */
    public static boolean isDataFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(MAGIC.length);
            return Arrays.equals(b, MAGIC);
        }
    }

    public static TraceData read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    public static TraceData read(InputStream in) throws IOException {
        try {
            return readFrames(in);
        } catch (EOFException e) {
            throw new IOException("truncated trace data");
        }
    }

    private static TraceData readFrames(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
        List<Jvm> jvms = new ArrayList<>();
        while (true) {
            byte[] magic = d.readNBytes(MAGIC.length);
            if (magic.length == 0 && !jvms.isEmpty()) {
                break;
            }
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(jvms.isEmpty() ? "not a jftrace data file (no JFTRDATA header)"
                        : "garbage after frame " + jvms.size());
            }
            int version = d.readUnsignedShort();
            if (version != VERSION) {
                throw new IOException("trace data version " + version + " (this jftrace reads version " + VERSION + ")");
            }
            int flags = d.readUnsignedShort();
            long len = d.readLong();
            if (len < 0 || len > Integer.MAX_VALUE - 16) {
                throw new IOException("bad frame length " + len);
            }
            byte[] body = d.readNBytes((int) len);
            if (body.length != len) {
                throw new IOException("truncated trace data (frame " + (jvms.size() + 1) + ")");
            }
            InputStream b = new ByteArrayInputStream(body);
            if ((flags & 1) != 0) {
                b = new GZIPInputStream(b, 1 << 16);
            }
            jvms.add(readBody(new DataInputStream(new java.io.BufferedInputStream(b, 1 << 16))));
        }
        if (jvms.isEmpty()) {
            throw new IOException("empty trace data file");
        }
        return new TraceData(jvms);
    }

    private static Jvm readBody(DataInputStream in) throws IOException {
        Jvm j = new Jvm();
        Map<Integer, ThreadInfo> threads = new HashMap<>();
        long ts = 0;
        try {
            while (true) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case END:
                        return j;
                    case HEADER:
                        j.tracer = str(in);
                        j.clock = str(in);
                        j.pid = vlong(in);
                        j.anchorClock = in.readLong();
                        j.anchorEpochNanos = in.readLong();
                        j.traceOptions = str(in);
                        j.description = str(in);
                        break;
                    case FUNCTION: {
                        int ip = (int) vlong(in);
                        j.functions.put(ip, str(in));
                        break;
                    }
                    case THREAD: {
                        int key = (int) vlong(in);
                        ThreadInfo t = new ThreadInfo(vlong(in), str(in), in.readUnsignedByte() != 0);
                        threads.put(key, t);
                        j.threads.add(t);
                        break;
                    }
                    case TEXT:
                        j.text = str(in);
                        break;
                    case ENTRY: case RETURN: case CALL: case MARKER: case STACK: {
                        int key = (int) vlong(in);
                        ThreadInfo t = threads.get(key);
                        if (t == null) {
                            throw new IOException("record of undeclared thread " + key);
                        }
                        ts += zlong(in);
                        int buffer = (int) vlong(in);
                        Event e;
                        if (tag == ENTRY) {
                            e = new Event(tag, t, ts, buffer, (int) vlong(in), (int) vlong(in), 0, false, 0, null);
                        } else if (tag == RETURN) {
                            int ip = (int) vlong(in);
                            int depth = (int) vlong(in);
                            long dur = vlong(in);
                            boolean exc = (in.readUnsignedByte() & 1) != 0;
                            e = new Event(tag, t, ts, buffer, ip, depth, dur, exc, zlong(in), null);
                        } else if (tag == CALL) {
                            e = new Event(tag, t, ts, buffer, (int) vlong(in), (int) vlong(in), 0, false, 0, null);
                        } else if (tag == MARKER) {
                            e = new Event(tag, t, ts, buffer, 0, 0, 0, false, 0, str(in));
                        } else {
                            int n = (int) vlong(in);
                            String[] frames = new String[n];
                            for (int i = 0; i < n; i++) {
                                frames[i] = str(in);
                            }
                            e = new Event(tag, t, ts, buffer, 0, n, 0, false, 0, frames);
                        }
                        j.events.add(e);
                        break;
                    }
                    default:
                        throw new IOException("unknown record tag " + tag + " in trace data version " + VERSION);
                }
            }
        } catch (EOFException e) {
            throw new IOException("truncated trace data (no END)");
        }
    }

    private static String str(DataInputStream in) throws IOException {
        long n = vlong(in);
        if (n > Integer.MAX_VALUE) {
            throw new IOException("bad string length " + n);
        }
        byte[] b = in.readNBytes((int) n);
        if (b.length != n) {
            throw new EOFException();
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    private static long vlong(DataInputStream in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("bad varint");
    }

    private static long zlong(DataInputStream in) throws IOException {
        long v = vlong(in);
        return (v >>> 1) ^ -(v & 1);
    }
}
