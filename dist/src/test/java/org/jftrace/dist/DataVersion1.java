package org.jftrace.dist;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.jftrace.data.DataStreamWriter;

/**
 * Rewrites a trace data file of version 1 (what {@code record --data} wrote before the agent streamed
 * version 2) as version 2 with the runtime's DataStreamWriter, each buffer's records in blocks of 16
 * written round by round as a drain would, so the report ITs exercise the reader's merge on the
 * records of real programs. A version 2 file is left as it is.
 */
final class DataVersion1 {

    private DataVersion1() {
    }

    /** One record of version 1. */
    private static final class Rec {
        int tag;
        int thread;
        long ts;
        int buffer;
        int ip;
        int arg;
        long duration;
        boolean exceptional;
        long retval;
        String text;
        String[] frames;
    }

    static void toVersion2(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 10 || all[9] != 1) {
            return;
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            while (in.available() > 0) {
                in.skipNBytes(8);
                in.readUnsignedShort();
                int flags = in.readUnsignedShort();
                byte[] body = in.readNBytes((int) in.readLong());
                InputStream b = new ByteArrayInputStream(body);
                if ((flags & 1) != 0) {
                    b = new GZIPInputStream(b);
                }
                frame(new DataInputStream(new BufferedInputStream(b)), out);
            }
        }
    }

    private static void frame(DataInputStream in, OutputStream out) throws IOException {
        DataStreamWriter w = new DataStreamWriter(out, true);
        Map<Integer, List<Rec>> buffers = new LinkedHashMap<>();
        long ts = 0;
        while (true) {
            int tag = in.readUnsignedByte();
            if (tag == 0) {
                break;
            } else if (tag == 1) {
                w.meta(str(in), str(in), vlong(in), in.readLong(), in.readLong(), str(in), str(in));
            } else if (tag == 2) {
                w.function((int) vlong(in), str(in));
            } else if (tag == 3) {
                w.thread((int) vlong(in), vlong(in), str(in), in.readUnsignedByte() != 0);
            } else if (tag == 4) {
                str(in); // the text: version 2 renders it from the records
            } else {
                Rec r = new Rec();
                r.tag = tag;
                r.thread = (int) vlong(in);
                ts += zlong(in);
                r.ts = ts;
                r.buffer = (int) vlong(in);
                if (tag == 10 || tag == 12) {
                    r.ip = (int) vlong(in);
                    r.arg = (int) vlong(in);
                } else if (tag == 11) {
                    r.ip = (int) vlong(in);
                    r.arg = (int) vlong(in);
                    r.duration = vlong(in);
                    r.exceptional = (in.readUnsignedByte() & 1) != 0;
                    r.retval = zlong(in);
                } else if (tag == 13) {
                    r.text = str(in);
                } else if (tag == 14) {
                    r.frames = new String[(int) vlong(in)];
                    for (int i = 0; i < r.frames.length; i++) {
                        r.frames[i] = str(in);
                    }
                } else {
                    throw new IOException("unknown version 1 tag " + tag);
                }
                buffers.computeIfAbsent(r.buffer, k -> new ArrayList<>()).add(r);
            }
        }
        Map<Integer, Integer> at = new LinkedHashMap<>();
        long written = 0;
        boolean more = true;
        while (more) { // drain rounds: up to 16 records of each buffer, of one thread
            more = false;
            for (Map.Entry<Integer, List<Rec>> e : buffers.entrySet()) {
                List<Rec> l = e.getValue();
                int i = at.getOrDefault(e.getKey(), 0);
                if (i >= l.size()) {
                    continue;
                }
                more = true;
                int thread = l.get(i).thread;
                w.beginEvents(e.getKey(), thread, l.get(i).ts);
                int n = 0;
                for (; i < l.size() && n < 16 && l.get(i).thread == thread; i++, n++) {
                    Rec r = l.get(i);
                    switch (r.tag) {
                        case 10: w.entry(r.ts, r.ip, r.arg); break;
                        case 11: w.ret(r.ts, r.ip, r.arg, r.duration, r.exceptional, r.retval); break;
                        case 12: w.call(r.ts, r.ip, r.arg); break;
                        case 13: w.marker(r.ts, r.text); break;
                        default: w.stack(r.ts, r.frames);
                    }
                }
                written += n;
                at.put(e.getKey(), i);
                w.endEvents();
            }
        }
        int n = buffers.size();
        int[] ids = new int[n];
        int[] threads = new int[n];
        long[] perBuffer = new long[n];
        int k = 0;
        for (Map.Entry<Integer, List<Rec>> e : buffers.entrySet()) {
            ids[k] = e.getKey();
            threads[k] = e.getValue().get(e.getValue().size() - 1).thread;
            perBuffer[k++] = e.getValue().size();
        }
        w.stats(written, 0, ids, threads, perBuffer, new long[n]);
        w.close();
    }

    private static String str(DataInputStream in) throws IOException {
        return new String(in.readNBytes((int) vlong(in)), StandardCharsets.UTF_8);
    }

    private static long vlong(DataInputStream in) throws IOException {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
    }

    private static long zlong(DataInputStream in) throws IOException {
        long v = vlong(in);
        return (v >>> 1) ^ -(v & 1);
    }
}
