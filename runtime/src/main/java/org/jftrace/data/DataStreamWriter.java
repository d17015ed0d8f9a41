package org.jftrace.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encodes one stream of the trace data file, version 2 (docs/data-format.md): a header, then blocks
 * that each carry their length and a CRC-32, so a reader tells a truncated file from a corrupt one.
 * Names of functions and threads are queued and written as a FUNCTIONS / THREADS block just before
 * the EVENTS block that first needs them.
 *
 * <p>Single-threaded (the drain thread). Encoding goes into reused byte arrays; an EVENTS block is
 * deflated when the writer was made with {@code deflate}.
 */
public final class DataStreamWriter implements Closeable {

    public static final byte[] MAGIC = "JFTRDATA".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 2;

    public static final int END = 0;
    public static final int META = 1;
    public static final int FUNCTIONS = 2;
    public static final int THREADS = 3;
    public static final int EVENTS = 4;
    public static final int STATS = 5;
    public static final int PARAMETERS = 6;

    public static final int ENTRY = 10;
    public static final int RETURN = 11;
    public static final int CALL = 12;
    public static final int MARKER = 13;
    public static final int STACK = 14;
    public static final int LOST = 15;
    public static final int ARGS = 16;

    public static final int CODEC_RAW = 0;
    public static final int CODEC_DEFLATE = 1;

    /** Blocks smaller than this are stored raw: deflate's header would eat the gain. */
    private static final int DEFLATE_MIN = 256;

    private final OutputStream out;
    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte[] blockHead = new byte[9];
    /** The events being encoded (from the count field on). */
    private final Bytes events = new Bytes(1 << 16);
    /** A block's payload: meta, names, stats, or the events' codec prefix and (deflated) data. */
    private final Bytes payload = new Bytes(1 << 16);
    private final Bytes eventsHead = new Bytes(32);
    private final Bytes functions = new Bytes(1 << 12);
    private final Bytes threads = new Bytes(1 << 10);
    private final Bytes parameters = new Bytes(1 << 10);
    private int queuedParameters;
    private int queuedFunctions;
    private int queuedThreads;

    private boolean deflating;
    private int eventsBuffer = -1;
    private int eventsThread;
    private long firstTs;
    private long lastTs;
    private int count;
    private long bytesWritten;
    private boolean closed;

    /**
     * Writes the stream header.
     *
     * @param out     the file; not closed by {@link #close()}
     * @param deflate compress EVENTS blocks
     */
    public DataStreamWriter(final OutputStream out, final boolean deflate) throws IOException {
        this.out = out;
        this.deflater = deflate ? new Deflater(Deflater.BEST_SPEED, true) : null;
        this.deflating = deflate;
        final byte[] head = Arrays.copyOf(MAGIC, 12);
        head[9] = (byte) VERSION;
        out.write(head);
        bytesWritten = head.length;
    }

    /** The META block: the first block of a stream. */
    public void meta(final String tracer, final String clock, final long pid, final long anchorClock,
                     final long anchorEpochNanos, final String traceOptions, final String description)
        throws IOException {
        payload.clear();
        payload.str(tracer);
        payload.str(clock);
        payload.vlong(pid);
        payload.i64(anchorClock);
        payload.i64(anchorEpochNanos);
        payload.str(traceOptions);
        payload.str(description);
        block(META, payload);
    }

    /** Declares a function index's name; written before the next EVENTS block. */
    public void function(final int ip, final String name) {
        functions.vlong(ip & 0xFFFF_FFFFL);
        functions.str(name);
        queuedFunctions++;
    }

    /** Declares a function's parameter names (joined by commas); written before the next EVENTS block. */
    public void parameters(final int ip, final String names) {
        parameters.vlong(ip & 0xFFFF_FFFFL);
        parameters.str(names);
        queuedParameters++;
    }

    /** Declares a thread key; written before the next EVENTS block. */
    public void thread(final int key, final long threadId, final String name, final boolean virtual) {
        threads.vlong(key);
        threads.vlong(Math.max(0, threadId));
        threads.str(name == null ? "" : name);
        threads.u8(virtual ? 1 : 0);
        queuedThreads++;
    }

    /**
     * @param on whether the next EVENTS blocks are deflated (only if the writer was made with deflate)
     */
    public void setDeflate(final boolean on) {
        deflating = on && deflater != null;
    }

    /** Starts an EVENTS block: records of one buffer written by one thread. */
    public void beginEvents(final int buffer, final int thread, final long firstTs) {
        if (eventsBuffer >= 0) {
            throw new IllegalStateException("EVENTS block of buffer " + eventsBuffer + " not ended");
        }
        eventsBuffer = buffer;
        eventsThread = thread;
        this.firstTs = firstTs;
        this.lastTs = firstTs;
        count = 0;
        events.clear();
    }

    /** @return records in the EVENTS block being written. */
    public int eventCount() {
        return count;
    }

    /** @return bytes of encoded events in the block being written (before compression). */
    public int eventBytes() {
        return events.length;
    }

    /** The largest fixed-size record: RETURN, 1 + 10 + 5 + 5 + 10 + 1 + 10 bytes. */
    private static final int MAX_FIXED_RECORD = 42;

    /** Starts a record; room for a fixed-size one is made once, so its fields need no checks. */
    private void record(final int type, final long ts) {
        events.ensure(MAX_FIXED_RECORD);
        events.put8(type);
        events.putZ(ts - lastTs);
        lastTs = ts;
        count++;
    }

    public void entry(final long ts, final int ip, final int depth) {
        record(ENTRY, ts);
        events.putV(ip & 0xFFFF_FFFFL);
        events.putV(depth & 0xFFFF_FFFFL);
    }

    public void ret(final long ts, final int ip, final int depth, final long duration, final boolean exceptional,
                    final long retval) {
        record(RETURN, ts);
        events.putV(ip & 0xFFFF_FFFFL);
        events.putV(depth & 0xFFFF_FFFFL);
        events.putV(duration);
        events.put8(exceptional ? 1 : 0);
        events.putZ(retval);
    }

    public void call(final long ts, final int ip, final int parentIp) {
        record(CALL, ts);
        events.putV(ip & 0xFFFF_FFFFL);
        events.putV(parentIp & 0xFFFF_FFFFL);
    }

    public void marker(final long ts, final String text) {
        record(MARKER, ts);
        events.str(text == null ? "" : text);
    }

    public void stack(final long ts, final String[] frames) {
        record(STACK, ts);
        events.vint(frames.length);
        for (String f : frames) {
            events.str(f);
        }
    }

    /**
     * The values of the record just written (CALL or ENTRY: its arguments; RETURN: the returned object
     * or the exception), from the value words of {@code org.jftrace.trace.ArgEncoder}.
     *
     * @param names class names by class number (see ArgClasses), for OBJECT and THROWN values
     */
    public void args(final long ts, final long[] w, final java.util.function.IntFunction<String> names) {
        record(ARGS, ts);
        final int n = (int) (w[0] & 0xF);
        events.vint(n);
        int pos = 1;
        for (int i = 0; i < n; i++) {
            final int kind = (int) (w[0] >>> (4 + 4 * i)) & 0xF;
            events.ensure(16);
            events.put8(kind);
            final long v = pos < w.length ? w[pos] : 0L;
            switch (kind) {
                case 1: // BOOL
                    events.put8(v != 0 ? 1 : 0);
                    pos++;
                    break;
                case 2: // CHAR
                case 4: // FLOAT: the raw int bits
                    events.putV(v & 0xFFFF_FFFFL);
                    pos++;
                    break;
                case 3: // INT
                    events.putZ(v);
                    pos++;
                    break;
                case 5: // DOUBLE
                    events.i64(v);
                    pos++;
                    break;
                case 6: // OBJECT
                    events.str(names.apply((int) (v >>> 32)));
                    events.vlong(v & 0xFFFF_FFFFL);
                    pos++;
                    break;
                case 7: { // STRING
                    final int c = (int) v;
                    final char[] chars = new char[c];
                    for (int j = 0; j < c; j++) {
                        chars[j] = (char) (w[pos + 1 + j / 4] >>> (16 * (j % 4)));
                    }
                    events.vlong(v >>> 32);
                    events.str(new String(chars));
                    pos += 1 + (c + 3) / 4;
                    break;
                }
                case 8: // THROWN
                    events.str(names.apply((int) v));
                    pos++;
                    break;
                default: // NULL, MORE: no payload
                    break;
            }
        }
    }

    public void lost(final long ts, final long lostCount) {
        record(LOST, ts);
        events.putV(lostCount);
    }

    /** Writes the queued names and the EVENTS block; an empty block is not written. */
    public void endEvents() throws IOException {
        final int buffer = eventsBuffer;
        eventsBuffer = -1;
        if (count == 0) {
            return;
        }
        flushNames();
        // the raw events start with buffer, thread, firstTs and count, encoded before what was recorded
        final Bytes h = eventsHead;
        h.clear();
        h.vint(buffer);
        h.vint(eventsThread);
        h.i64(firstTs);
        h.vint(count);
        final int rawLength = h.length + events.length;
        payload.clear();
        if (deflating && rawLength >= DEFLATE_MIN) {
            payload.u8(CODEC_DEFLATE);
            payload.vint(rawLength);
            deflater.reset();
            deflater.setInput(h.bytes, 0, h.length);
            drainDeflater(false);
            deflater.setInput(events.bytes, 0, events.length);
            deflater.finish();
            drainDeflater(true);
        } else {
            payload.u8(CODEC_RAW);
            payload.vint(rawLength);
            payload.put(h.bytes, 0, h.length);
            payload.put(events.bytes, 0, events.length);
        }
        block(EVENTS, payload);
    }

    private void drainDeflater(final boolean toEnd) {
        for (;;) {
            payload.ensure(4096);
            final int n = deflater.deflate(payload.bytes, payload.length, payload.bytes.length - payload.length);
            payload.length += n;
            if (toEnd ? deflater.finished() : deflater.needsInput()) {
                return;
            }
        }
    }

    private void flushNames() throws IOException {
        if (queuedParameters > 0) {
            payload.clear();
            payload.vint(queuedParameters);
            payload.put(parameters.bytes, 0, parameters.length);
            block(PARAMETERS, payload);
            parameters.clear();
            queuedParameters = 0;
        }
        if (queuedFunctions > 0) {
            payload.clear();
            payload.vint(queuedFunctions);
            payload.put(functions.bytes, 0, functions.length);
            block(FUNCTIONS, payload);
            functions.clear();
            queuedFunctions = 0;
        }
        if (queuedThreads > 0) {
            payload.clear();
            payload.vint(queuedThreads);
            payload.put(threads.bytes, 0, threads.length);
            block(THREADS, payload);
            threads.clear();
            queuedThreads = 0;
        }
    }

    /**
     * The STATS block: what the recording wrote and lost, in total and per buffer.
     */
    public void stats(final long written, final long lostTotal, final int[] buffers, final int[] threadKeys,
                      final long[] bufferWritten, final long[] bufferLost) throws IOException {
        flushNames();
        payload.clear();
        payload.vlong(written);
        payload.vlong(lostTotal);
        payload.vint(buffers.length);
        for (int i = 0; i < buffers.length; i++) {
            payload.vint(buffers[i]);
            payload.vint(threadKeys[i]);
            payload.vlong(bufferWritten[i]);
            payload.vlong(bufferLost[i]);
        }
        block(STATS, payload);
    }

    private void block(final int kind, final Bytes p) throws IOException {
        crc.reset();
        crc.update(p.bytes, 0, p.length);
        final long c = crc.getValue();
        final byte[] h = blockHead;
        h[0] = (byte) kind;
        h[1] = (byte) (p.length >>> 24);
        h[2] = (byte) (p.length >>> 16);
        h[3] = (byte) (p.length >>> 8);
        h[4] = (byte) p.length;
        h[5] = (byte) (c >>> 24);
        h[6] = (byte) (c >>> 16);
        h[7] = (byte) (c >>> 8);
        h[8] = (byte) c;
        out.write(h);
        out.write(p.bytes, 0, p.length);
        bytesWritten += h.length + p.length;
    }

    /** @return bytes written to the stream so far. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Flushes the underlying stream. */
    public void flush() throws IOException {
        out.flush();
    }

    /** Writes the END block and flushes; does not close the underlying stream. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (eventsBuffer >= 0) {
            endEvents();
        }
        flushNames();
        payload.clear();
        block(END, payload);
        out.flush();
        if (deflater != null) {
            deflater.end();
        }
    }

    /** A growable byte array with the format's integer encodings. */
    static final class Bytes {
        byte[] bytes;
        int length;

        Bytes(final int capacity) {
            bytes = new byte[capacity];
        }

        void clear() {
            length = 0;
        }

        void ensure(final int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        void u8(final int v) {
            ensure(1);
            bytes[length++] = (byte) v;
        }

        void i64(final long v) {
            ensure(8);
            for (int s = 56; s >= 0; s -= 8) {
                bytes[length++] = (byte) (v >>> s);
            }
        }

        /** A byte; the caller made room. */
        void put8(final int v) {
            bytes[length++] = (byte) v;
        }

        /** An unsigned LEB128; the caller made room (10 bytes at most). */
        void putV(long v) {
            final byte[] b = bytes;
            int n = length;
            while ((v & ~0x7FL) != 0) {
                b[n++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            b[n++] = (byte) v;
            length = n;
        }

        void vint(final int v) {
            vlong(v & 0xFFFF_FFFFL);
        }

        void vlong(final long v) {
            ensure(10);
            putV(v);
        }

        void zlong(final long v) {
            vlong(zigzag(v));
        }

        /** A zig-zag LEB128; the caller made room. */
        void putZ(final long v) {
            putV(zigzag(v));
        }

        private static long zigzag(final long v) {
            return (v << 1) ^ (v >> 63);
        }

        void str(final String s) {
            final byte[] b = s.getBytes(StandardCharsets.UTF_8);
            vint(b.length);
            put(b, 0, b.length);
        }

        void put(final byte[] src, final int off, final int len) {
            ensure(len);
            System.arraycopy(src, off, bytes, length, len);
            length += len;
        }
    }
}
