package org.jftrace.cli;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jftrace.data.DataStreamWriter;

/** Trace data files written with the runtime's encoder, whose every figure is known. */
public final class Samples {

    static final String A = "t.M.a()V";
    static final String B = "t.M.b(I)I";
    static final String C = "t.M.c(Ljava/lang/String;)V";
    static final String D = "t.M.d()V";
    static final String E = "t.M.e()V";
    static final String X = "t.W.x()V";

    private Samples() {
    }

    /**
     * main (tid 1, buffer 0, two blocks): a[100,300] { b[110,200] { c[120,150] } d[210,260] threw };
     * worker (tid 7, virtual, buffer 1): x[130,...] unfinished { c[140,145] } + a marker at 146;
     * pool-1 (tid 9, buffer 2): e[250,280], its entry not in the data. The blocks come in two drain
     * rounds, so buffer 0's records interleave with buffer 1's. With {@code lost}, buffer 2 lost 5
     * records before e's return (a LOST record) and STATS counts them.
     */
    static Path sample(Path dir, String name, boolean deflate, int streams, boolean lost) throws Exception {
        Path f = dir.resolve(name);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f))) {
            for (int i = 0; i < streams; i++) {
                DataStreamWriter w = new DataStreamWriter(out, deflate);
                w.meta("function_graph", "mono", 4242 + i, 100, 1_700_000_000_000_000_000L, "overwrite\n", "java 17: test");
                String[] names = {A, B, C, D, E, X};
                for (int ip = 1; ip <= names.length; ip++) {
                    w.function(ip, names[ip - 1]);
                }
                w.thread(1, 1, "main", false);
                w.thread(2, 7, "worker", true);
                w.thread(3, 9, "pool-1", false);
                // drain round 1
                w.beginEvents(0, 1, 100);
                w.entry(100, 1, 1);
                w.entry(110, 2, 2);
                w.entry(120, 3, 3);
                w.ret(150, 3, 3, 30, false, 0);
                w.endEvents();
                w.beginEvents(1, 2, 130);
                w.entry(130, 6, 1);
                w.entry(140, 3, 2);
                w.ret(145, 3, 2, 5, false, 0);
                w.marker(146, "hello");
                w.endEvents();
                // drain round 2
                w.beginEvents(0, 1, 200);
                w.ret(200, 2, 2, 90, false, 42);
                w.entry(210, 4, 2);
                w.ret(260, 4, 2, 50, true, 0);
                w.ret(300, 1, 1, 200, false, 0);
                w.endEvents();
                w.beginEvents(2, 3, 280);
                if (lost) {
                    w.lost(280, 5);
                }
                w.ret(280, 5, 1, 30, false, 0);
                w.endEvents();
                w.stats(lost ? 18 : 13, lost ? 5 : 0, new int[] {0, 1, 2}, new int[] {1, 2, 3},
                        new long[] {8, 4, lost ? 6 : 1}, new long[] {0, 0, lost ? 5 : 0});
                w.close();
            }
        }
        return f;
    }

    static Path sample(Path dir, boolean deflate, int streams) throws Exception {
        return sample(dir, "sample.jftrace", deflate, streams, false);
    }

    /**
     * A large function_graph trace: {@code threads} buffers, each {@code calls} calls of a tree
     * root { mid { leaf } leaf } ..., written in drain rounds of {@code perBlock} records per buffer,
     * with a LOST record every {@code lostEvery} blocks (0: none).
     */
    static long large(Path file, int threads, long calls, int perBlock, int lostEvery) throws Exception {
        long written = 0;
        long lostTotal = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            DataStreamWriter w = new DataStreamWriter(out, true);
            w.meta("function_graph", "mono", 77, 0, 1_700_000_000_000_000_000L, "overwrite\n", "java 17: large");
            for (int ip = 1; ip <= 64; ip++) {
                w.function(ip, "big.Pkg" + (ip % 8) + ".Cls" + (ip % 5) + ".method" + ip + "(I)V");
            }
            for (int t = 0; t < threads; t++) {
                w.thread(t + 1, 100 + t, "worker-" + t, false);
            }
            long[] ts = new long[threads];
            long[] done = new long[threads];
            int[] block = new int[threads];
            long[] bw = new long[threads];
            long[] bl = new long[threads];
            // a call is 2 records; each call of the tree: root(1) { mid(2) { leaf(3) } leaf(3) } = 4 calls
            boolean more = true;
            while (more) {
                more = false;
                for (int t = 0; t < threads; t++) {
                    if (done[t] >= calls) {
                        continue;
                    }
                    more = true;
                    w.beginEvents(t, t + 1, ts[t] + t);
                    int records = 0;
                    if (lostEvery > 0 && ++block[t] % lostEvery == 0) {
                        w.lost(ts[t] + t, 3);
                        lostTotal += 3;
                        bl[t] += 3;
                    }
                    while (records < perBlock && done[t] < calls) {
                        long s = ts[t] + t;
                        int root = 1 + (int) ((done[t] / 4) % 16);
                        int mid = 17 + (int) ((done[t] / 4) % 24);
                        int leaf = 41 + (int) ((done[t] / 4) % 24);
                        w.entry(s, root, 1);
                        w.entry(s + 10, mid, 2);
                        w.entry(s + 20, leaf, 3);
                        w.ret(s + 30, leaf, 3, 10, false, 0);
                        w.ret(s + 40, mid, 2, 30, false, 0);
                        w.entry(s + 50, leaf, 2);
                        w.ret(s + 60, leaf, 2, 10, (done[t] & 1023) == 0, 0);
                        w.ret(s + 70, root, 1, 70, false, 0);
                        ts[t] += 100;
                        done[t] += 4;
                        records += 8;
                    }
                    written += records;
                    bw[t] += records;
                    w.endEvents();
                }
            }
            int[] buffers = new int[threads];
            int[] keys = new int[threads];
            for (int t = 0; t < threads; t++) {
                buffers[t] = t;
                keys[t] = t + 1;
                bw[t] += bl[t];
            }
            w.stats(written + lostTotal, lostTotal, buffers, keys, bw, bl);
            w.close();
        }
        return written;
    }

    /** Writes a large trace: {@code java ... Samples FILE CALLS [THREADS]} (bench/report.sh). */
    public static void main(String[] args) throws Exception {
        long calls = Long.parseLong(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        long n = large(Path.of(args[0]), threads, calls / threads, 4096, 50);
        System.out.println("wrote " + n + " records (" + calls + " calls, " + threads + " threads) to " + args[0]);
    }
}
