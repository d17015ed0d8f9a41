package org.jftrace.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A test copy of the runtime's encoder of the trace data file, version 2 (docs/data-format.md), with
 * its API: the cli tests write real files with it until the runtime's lands.
 */
public final class DataStreamWriter {

    private final OutputStream out;
    private final boolean deflate;
    private final ByteArrayOutputStream functions = new ByteArrayOutputStream();
    private int functionCount;
    private final ByteArrayOutputStream threads = new ByteArrayOutputStream();
    private int threadCount;
    private final ByteArrayOutputStream events = new ByteArrayOutputStream(1 << 16);
    private int buffer;
    private int thread;
    private long firstTs;
    private long lastTs;
    private int count;

    public DataStreamWriter(OutputStream out, boolean deflate) throws IOException {
        this.out = out;
        this.deflate = deflate;
        out.write("JFTRDATA".getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[] {0, 2, 0, 0});
    }

    public void meta(String tracer, String clock, long pid, long anchorClock, long anchorEpochNanos, String traceOptions,
                     String description) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        str(b, tracer);
        str(b, clock);
        vlong(b, pid);
        i64(b, anchorClock);
        i64(b, anchorEpochNanos);
        str(b, traceOptions);
        str(b, description);
        block(1, b.toByteArray());
    }

    public void function(int ip, String name) {
        vlong(functions, ip);
        str(functions, name);
        functionCount++;
    }

    public void thread(int key, long threadId, String name, boolean virtual) {
        vlong(threads, key);
        vlong(threads, threadId);
        str(threads, name);
        threads.write(virtual ? 1 : 0);
        threadCount++;
    }

    public void beginEvents(int buffer, int thread, long firstTs) {
        this.buffer = buffer;
        this.thread = thread;
        this.firstTs = firstTs;
        this.lastTs = firstTs;
        this.count = 0;
        events.reset();
    }

    private void head(int type, long ts) {
        events.write(type);
        zlong(events, ts - lastTs);
        lastTs = ts;
        count++;
    }

    public void entry(long ts, int ip, int depth) {
        head(10, ts);
        vlong(events, ip);
        vlong(events, depth);
    }

    public void ret(long ts, int ip, int depth, long duration, boolean exceptional, long retval) {
        head(11, ts);
        vlong(events, ip);
        vlong(events, depth);
        vlong(events, duration);
        events.write(exceptional ? 1 : 0);
        zlong(events, retval);
    }

    public void call(long ts, int ip, int parentIp) {
        head(12, ts);
        vlong(events, ip);
        vlong(events, parentIp);
    }

    public void marker(long ts, String text) {
        head(13, ts);
        str(events, text);
    }

    public void stack(long ts, String[] frames) {
        head(14, ts);
        vlong(events, frames.length);
        for (String f : frames) {
            str(events, f);
        }
    }

    public void lost(long ts, long count) {
        head(15, ts);
        vlong(events, count);
    }

    public void endEvents() throws IOException {
        flushDeclarations();
        ByteArrayOutputStream raw = new ByteArrayOutputStream(events.size() + 32);
        vlong(raw, buffer);
        vlong(raw, thread);
        i64(raw, firstTs);
        vlong(raw, count);
        events.writeTo(raw);
        byte[] r = raw.toByteArray();
        ByteArrayOutputStream b = new ByteArrayOutputStream(r.length + 8);
        b.write(deflate ? 1 : 0);
        vlong(b, r.length);
        if (deflate) {
            Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            d.setInput(r);
            d.finish();
            byte[] buf = new byte[1 << 16];
            while (!d.finished()) {
                int n = d.deflate(buf);
                b.write(buf, 0, n);
            }
            d.end();
        } else {
            b.write(r);
        }
        block(4, b.toByteArray());
    }

    private void flushDeclarations() throws IOException {
        if (functionCount > 0) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            vlong(b, functionCount);
            functions.writeTo(b);
            block(2, b.toByteArray());
            functions.reset();
            functionCount = 0;
        }
        if (threadCount > 0) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            vlong(b, threadCount);
            threads.writeTo(b);
            block(3, b.toByteArray());
            threads.reset();
            threadCount = 0;
        }
    }

    public void stats(long written, long lost, int[] buffers, int[] threadKeys, long[] writtenPer, long[] lostPer)
            throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        vlong(b, written);
        vlong(b, lost);
        vlong(b, buffers.length);
        for (int i = 0; i < buffers.length; i++) {
            vlong(b, buffers[i]);
            vlong(b, threadKeys[i]);
            vlong(b, writtenPer[i]);
            vlong(b, lostPer[i]);
        }
        block(5, b.toByteArray());
    }

    public void close() throws IOException {
        flushDeclarations();
        block(0, new byte[0]);
        out.flush();
    }

    private void block(int kind, byte[] payload) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(payload);
        byte[] h = new byte[9];
        h[0] = (byte) kind;
        int len = payload.length;
        long c = crc.getValue();
        for (int i = 0; i < 4; i++) {
            h[1 + i] = (byte) (len >>> (24 - 8 * i));
            h[5 + i] = (byte) (c >>> (24 - 8 * i));
        }
        out.write(h);
        out.write(payload);
    }

    private static void i64(ByteArrayOutputStream b, long v) {
        for (int i = 56; i >= 0; i -= 8) {
            b.write((int) (v >>> i));
        }
    }

    private static void vlong(ByteArrayOutputStream b, long v) {
        while ((v & ~0x7FL) != 0) {
            b.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        b.write((int) v);
    }

    private static void zlong(ByteArrayOutputStream b, long v) {
        vlong(b, (v << 1) ^ (v >> 63));
    }

    private static void str(ByteArrayOutputStream b, String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        vlong(b, u.length);
        b.write(u, 0, u.length);
    }
}
