package org.jftrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jftrace.cli.ReportCommandTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binary formats of the sample whose every figure is known, read back here byte by byte (the dist
 * tests read them with trace-cmd, KernelShark and protoc): Perfetto's packets and trace.dat's layout.
 */
class BinaryFormatsTest {

    /** A protobuf message's fields: number to values (a Long, or the bytes of a length-delimited field). */
    static Map<Integer, List<Object>> fields(ByteBuffer b) {
        Map<Integer, List<Object>> m = new HashMap<>();
        while (b.hasRemaining()) {
            long key = varint(b);
            Object v;
            if ((key & 7) == 0) {
                v = varint(b);
            } else {
                assertThat(key & 7).as("wire type").isEqualTo(2);
                int len = (int) varint(b);
                ByteBuffer slice = b.slice().limit(len);
                b.position(b.position() + len);
                v = slice;
            }
            m.computeIfAbsent((int) (key >>> 3), k -> new ArrayList<>()).add(v);
        }
        return m;
    }

    static long varint(ByteBuffer b) {
        long r = 0;
        for (int s = 0; ; s += 7) {
            int x = b.get() & 0xFF;
            r |= (long) (x & 0x7F) << s;
            if (x < 0x80) {
                return r;
            }
        }
    }

    static Map<Integer, List<Object>> msg(Map<Integer, List<Object>> m, int field) {
        List<Object> v = m.get(field);
        return v == null ? null : fields(((ByteBuffer) v.get(0)).duplicate());
    }

    static String str(Object bytes) {
        ByteBuffer b = ((ByteBuffer) bytes).duplicate();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return new String(a, StandardCharsets.UTF_8);
    }

    @Test
    void perfettoSlicesOfTheSampleNestAndCloseOnTheirThreadsTracks(@TempDir Path tmp) throws Exception {
        Path data = Samples.sample(tmp, "lost.jftrace", true, 2, true);
        Path out = tmp.resolve("s.pftrace");
        Run r = ReportCommandTest.report("-f", "perfetto", "-o", out.toString(), data.toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.err).contains("wrote 14 slices and 4 instant events");
        Map<Integer, List<Object>> trace = fields(ByteBuffer.wrap(Files.readAllBytes(out)));
        Map<Long, Long> clock = new HashMap<>();
        Map<Long, String> trackName = new HashMap<>();
        Map<Long, Map<Long, String>> names = new HashMap<>();
        Map<Long, Deque<String>> open = new HashMap<>();
        List<String> slices = new ArrayList<>();
        List<String> instants = new ArrayList<>();
        for (Object o : trace.get(1)) {
            Map<Integer, List<Object>> p = fields(((ByteBuffer) o).duplicate());
            long seq = (Long) p.get(10).get(0);
            Map<Integer, List<Object>> snapshot = msg(p, 6);
            if (snapshot != null) {
                assertThat(p.get(13)).containsExactly(1L); // SEQ_INCREMENTAL_STATE_CLEARED
                for (Object c : snapshot.get(1)) {
                    Map<Integer, List<Object>> cl = fields(((ByteBuffer) c).duplicate());
                    if ((Long) cl.get(1).get(0) == 64) {
                        assertThat(cl.get(3)).containsExactly(1L); // incremental
                        clock.put(seq, (Long) cl.get(2).get(0));
                    }
                }
                continue;
            }
            Map<Integer, List<Object>> td = msg(p, 60);
            if (td != null) {
                Map<Integer, List<Object>> thread = msg(td, 4);
                Map<Integer, List<Object>> process = msg(td, 3);
                trackName.put((Long) td.get(1).get(0), thread != null ? str(thread.get(5).get(0)) + "/" + thread.get(2).get(0)
                        : "process " + process.get(1).get(0));
                continue;
            }
            Map<Integer, List<Object>> interned = msg(p, 12);
            if (interned != null && interned.get(2) != null) {
                for (Object n : interned.get(2)) {
                    Map<Integer, List<Object>> e = fields(((ByteBuffer) n).duplicate());
                    names.computeIfAbsent(seq, k -> new HashMap<>()).put((Long) e.get(1).get(0), str(e.get(2).get(0)));
                }
            }
            long ts = (Long) p.get(8).get(0);
            if (p.get(58) != null) {
                assertThat(p.get(58)).containsExactly(6L); // absolute, on the trace clock
            } else {
                ts += clock.get(seq);
                clock.put(seq, ts);
            }
            Map<Integer, List<Object>> ev = msg(p, 11);
            long type = (Long) ev.get(9).get(0);
            String track = trackName.get((Long) ev.get(11).get(0));
            String name = ev.get(10) != null ? names.get(seq).get((Long) ev.get(10).get(0))
                    : ev.get(23) != null ? str(ev.get(23).get(0)) : null;
            int annotations = ev.get(4) == null ? 0 : ev.get(4).size();
            Deque<String> stack = open.computeIfAbsent((long) track.hashCode(), k -> new ArrayDeque<>());
            if (type == 1) {
                stack.push(name + "@" + ts);
            } else if (type == 2) {
                slices.add(seq + " " + track + " " + "  ".repeat(stack.size() - 1) + stack.pop() + "-" + ts
                        + (annotations > 0 ? " +" + annotations : ""));
            } else {
                instants.add(seq + " " + track + " " + name + "@" + ts);
            }
        }
        assertThat(open.values()).allMatch(Deque::isEmpty);
        // main: a[100,300] { b[110,200] { c[120,150] } d[210,260] threw }; worker: x[130,300] unfinished
        // { c[140,145] }; pool-1: e[250,280] (its entry not in the data: begun on the absolute clock)
        for (long seq = 1; seq <= 2; seq++) {
            assertThat(slices).containsSubsequence(seq + " main/1     t.M.c@120-150", seq + " main/1   t.M.b@110-200",
                    seq + " main/1   t.M.d@210-260 +1", seq + " main/1 t.M.a@100-300");
            assertThat(slices).contains(seq + " worker (virtual)/7   t.M.c@140-145", seq + " worker (virtual)/7 t.W.x@130-300 +1",
                    seq + " pool-1/9 t.M.e@250-280");
            assertThat(instants).contains(seq + " worker (virtual)/7 hello@146", seq + " process " + (4241 + seq) + " LOST 5 events@280");
        }
        assertThat(slices).hasSize(14);
    }

    @Test
    void traceDatOfTheSampleHasPageAlignedCpusAndTheLossInItsPage(@TempDir Path tmp) throws Exception {
        Path data = Samples.sample(tmp, "lost.jftrace", true, 2, true);
        Path out = tmp.resolve("s.dat");
        Run r = ReportCommandTest.report("-f", "trace-dat", "-o", out.toString(), data.toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.err).contains("wrote 26 events on 6 CPUs").contains("trace-cmd shows 10 as 'CPU:N [M EVENTS DROPPED]'");
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[12];
        b.get(magic);
        assertThat(magic).isEqualTo(new byte[] {0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g', '6', 0});
        assertThat(b.get()).as("little endian").isZero();
        assertThat(b.get()).as("long size").isEqualTo((byte) 8);
        assertThat(b.getInt()).as("page size").isEqualTo(4096);
        assertThat(cstring(b)).isEqualTo("header_page");
        skip(b, b.getLong());
        assertThat(cstring(b)).isEqualTo("header_event");
        skip(b, b.getLong());
        int formats = b.getInt();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < formats; i++) {
            events.add(text(b, (int) b.getLong()).lines().findFirst().orElseThrow());
        }
        assertThat(events).containsExactly("name: function", "name: print", "name: funcgraph_exit", "name: funcgraph_entry");
        assertThat(b.getInt()).as("event systems").isZero();
        String kallsyms = text(b, b.getInt());
        assertThat(kallsyms).contains(" T t.M.a\n").contains(" T t.W.x\n").contains(" T tracing_mark_write\n");
        assertThat(b.getInt()).as("printk formats").isZero();
        assertThat(text(b, (int) b.getLong())).isEqualTo("1 main\n7 worker\n9 pool-1\n");
        int cpus = b.getInt();
        assertThat(cpus).as("3 buffers in each of 2 streams").isEqualTo(6);
        assertThat(cstring(b)).isEqualTo("options  ");
        assertThat(b.getShort()).as("option: trace clock").isEqualTo((short) 4);
        assertThat(text(b, b.getInt())).isEqualTo("[mono]\0");
        assertThat(b.getShort()).as("options end").isZero();
        assertThat(cstring(b)).isEqualTo("flyrecord");
        long[] offset = new long[cpus];
        long[] size = new long[cpus];
        for (int c = 0; c < cpus; c++) {
            offset[c] = b.getLong();
            size[c] = b.getLong();
            assertThat(offset[c] % 4096).isZero();
            assertThat(size[c]).isEqualTo(4096);
        }
        assertThat(text(b, (int) b.getLong())).isEqualTo("[mono]\n");
        assertThat(offset[5] + size[5]).isEqualTo(b.capacity());
        // CPU 2 (pool-1): its page says 5 records were lost before it, the count stored after its data
        long commit = b.getLong((int) offset[2] + 8);
        assertThat(commit & (3L << 30)).as("missed events, count stored").isEqualTo(3L << 30);
        int length = (int) (commit & ((1 << 27) - 1));
        assertThat(length).as("one funcgraph_exit: 4-byte header and 40 bytes").isEqualTo(44);
        assertThat(b.getLong((int) offset[2] + 16 + length)).isEqualTo(5);
        assertThat(b.getLong((int) offset[2])).as("the page's timestamp").isEqualTo(280);
        assertThat(b.getShort((int) offset[2] + 16 + 4)).as("event id").isEqualTo((short) 10);
    }

    @Test
    void aTruncatedFileConvertsToBothWithWhatItHoldsAndSaysWhereItEnds(@TempDir Path tmp) throws Exception {
        byte[] all = Files.readAllBytes(Samples.sample(tmp, false, 1));
        List<long[]> blocks = ReportDataTest.blocks(all);
        long[] third = blocks.stream().filter(x -> x[1] == 4).skip(2).findFirst().orElseThrow();
        Path cut = Files.write(tmp.resolve("cut.jftrace"), java.util.Arrays.copyOf(all, (int) third[0] + 20));
        Run p = ReportCommandTest.report("-f", "perfetto", "-o", tmp.resolve("cut.pftrace").toString(), cut.toString());
        Run d = ReportCommandTest.report("-f", "trace-dat", "-o", tmp.resolve("cut.dat").toString(), cut.toString());
        for (Run r : List.of(p, d)) {
            assertThat(r.code).as(r.err).isZero();
            assertThat(r.err).contains(cut + " is truncated at byte " + third[0]).contains("showing the 8 records");
        }
        // the 8 records: main's a, b, c and c's return; worker's x, c, c's return and the marker: five slices (a, b
        // and x still open, ended at the last time) and an instant
        assertThat(p.err).contains("wrote 5 slices and 1 instant events");
        assertThat(d.err).contains("wrote 8 events");
    }

    static String cstring(ByteBuffer b) {
        StringBuilder sb = new StringBuilder();
        for (byte c = b.get(); c != 0; c = b.get()) {
            sb.append((char) c);
        }
        return sb.toString();
    }

    static void skip(ByteBuffer b, long n) {
        b.position(b.position() + (int) n);
    }

    static String text(ByteBuffer b, int n) {
        byte[] a = new byte[n];
        b.get(a);
        return new String(a, StandardCharsets.UTF_8);
    }
}
