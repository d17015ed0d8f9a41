package org.jftrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.jftrace.cli.ReportCommandTest.Run;
import org.jftrace.cli.report.DataFile;
import org.jftrace.cli.report.Merge;
import org.jftrace.data.DataStreamWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader of trace data version 2: merge order, loss in every output, truncated and corrupt files. */
class ReportDataTest {

    static Run report(String... args) {
        return ReportCommandTest.report(args);
    }

    /** "ts/buffer/type" of every record, in the order the merge delivers them. */
    static List<String> merged(Path file) throws Exception {
        DataFile d = DataFile.read(file, null);
        List<String> seen = new ArrayList<>();
        Merge.run(d, d.jvms.get(0), (r, c) -> seen.add(r.ts + "/" + r.buffer + "/" + r.type), null);
        return seen;
    }

    @Test
    void mergeDeliversInterleavedBlocksOfSeveralBuffersInTimestampOrder(@TempDir Path tmp) throws Exception {
        assertThat(merged(Samples.sample(tmp, true, 1))).containsExactly("100/0/10", "110/0/10", "120/0/10", "130/1/10",
                "140/1/10", "145/1/11", "146/1/13", "150/0/11", "200/0/11", "210/0/10", "260/0/11", "280/2/11", "300/0/11");
    }

    @Test
    void mergeBreaksTimestampTiesByBufferThenWriteOrder(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("ties.jftrace");
        try (var out = Files.newOutputStream(f)) {
            DataStreamWriter w = new DataStreamWriter(out, false);
            w.meta("function", "counter", 1, 0, 0, "", "ties");
            w.function(1, "t.T.a()V");
            w.thread(1, 1, "one", false);
            w.thread(2, 2, "two", false);
            // buffer 5 is drained first and its two blocks end and start at the same timestamp
            w.beginEvents(5, 2, 10);
            w.call(10, 1, 0);
            w.marker(20, "5a");
            w.endEvents();
            w.beginEvents(5, 2, 20);
            w.marker(20, "5b");
            w.marker(30, "5c");
            w.endEvents();
            w.beginEvents(3, 1, 10);
            w.call(10, 1, 0);
            w.marker(20, "3a");
            w.marker(20, "3b");
            w.endEvents();
            w.close();
        }
        assertThat(merged(f)).containsExactly("10/3/12", "10/5/12", "20/3/13", "20/3/13", "20/5/13", "20/5/13", "30/5/13");
        Run r = report(f.toString());
        assertThat(r.out).containsSubsequence("3a", "3b", "5a", "5b", "5c");
    }

    @Test
    void lostRecordsShowInEveryFormatWithCountsThatAddUp(@TempDir Path tmp) throws Exception {
        Path f = Samples.sample(tmp, "lost.jftrace", true, 1, true);
        // text: the counts in the header (kept/written) and ftrace's LOST line where the records went missing
        Run text = report(f.toString());
        assertThat(text.code).as(text.err).isZero();
        assertThat(text.out).contains("# entries-in-buffer/entries-written: 13/18   #P:3\n")
                .containsSubsequence(" 0)   0.050 us    |    t.M.d(); /* threw */\n", "CPU:2 [LOST 5 EVENTS]\n",
                        " 2)   0.030 us    |  } /* t.M.e */\n");
        long shown = text.out.lines().filter(l -> l.matches(" \\d\\) .*")).count();
        assertThat(shown).as("lines of records").isEqualTo(10); // 13 records: three leaves take one line each

        // html: the banner and the notes beside the figures loss makes too low
        Run html = report("-f", "html", f.toString());
        assertThat(html.out).contains("\"loss\":\"5 of 18 events were lost (27.78%): the figures below may be too low");
        assertThat(html.out).contains("(records were lost: may be too low)").contains("id=\"loss\"");
        Run clean = report("-f", "html", Samples.sample(tmp, true, 1).toString());
        assertThat(clean.out).contains("\"loss\":\"\"");

        // chrome-json: the counts in otherData and an instant event at the loss
        Run json = report("-f", "chrome-json", f.toString());
        JsonNode root = new ObjectMapper().readTree(json.out);
        JsonNode other = root.get("otherData");
        assertThat(other.get("records_written").asLong()).isEqualTo(18);
        assertThat(other.get("records_lost").asLong()).isEqualTo(5);
        assertThat(other.get("records_kept").asLong()).isEqualTo(13);
        long lostInstants = 0;
        for (JsonNode e : root.get("traceEvents")) {
            if (e.get("cat") != null && e.get("cat").asText().equals("jftrace")) {
                assertThat(e.get("ph").asText()).isEqualTo("i");
                assertThat(e.get("s").asText()).isEqualTo("p");
                assertThat(e.get("tid").asLong()).isEqualTo(9);
                assertThat(e.get("args").get("buffer").asInt()).isEqualTo(2);
                lostInstants += e.get("args").get("lost").asLong();
            }
        }
        assertThat(lostInstants).isEqualTo(5);

        // jfr: a jftrace.LostEvents per LOST record
        Path jfr = tmp.resolve("lost.jfr");
        Run j = report("-f", "jfr", "-o", jfr.toString(), f.toString());
        assertThat(j.err).contains("5 of 18 records were lost");
        long lostEvents = 0;
        long calls = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (e.getEventType().getName().equals("jftrace.LostEvents")) {
                assertThat(e.getInt("buffer")).isEqualTo(2);
                assertThat(e.getString("tracedThread")).isEqualTo("pool-1");
                assertThat(e.getDuration("traceOffset").toNanos()).isEqualTo(180);
                lostEvents += e.getLong("count");
            } else if (e.getEventType().getName().equals("jftrace.FunctionCall")) {
                calls++;
            }
        }
        assertThat(lostEvents).isEqualTo(5);
        assertThat(calls).isEqualTo(7);

        // folded: no comment syntax, so stderr
        Run folded = report("-f", "folded", f.toString());
        assertThat(folded.out).doesNotContain("lost");
        assertThat(folded.err).isEqualTo("jftrace report: 5 of 18 records were lost (27.78%): the counts may be too low\n");
    }

    /** The sample, its blocks' start offsets and kinds. */
    static List<long[]> blocks(byte[] file) {
        List<long[]> l = new ArrayList<>();
        int p = 12;
        while (p + 9 <= file.length) {
            int len = ((file[p + 1] & 0xFF) << 24) | ((file[p + 2] & 0xFF) << 16) | ((file[p + 3] & 0xFF) << 8) | (file[p + 4] & 0xFF);
            l.add(new long[] {p, file[p], len});
            p += 9 + len;
        }
        return l;
    }

    @Test
    void truncatedFileReportsWhatItsCompleteBlocksHoldAndWhereItEnds(@TempDir Path tmp) throws Exception {
        byte[] all = Files.readAllBytes(Samples.sample(tmp, false, 1));
        List<long[]> b = blocks(all);
        // cut inside the third EVENTS block (buffer 0's second): the first two blocks hold 8 records
        long[] third = b.stream().filter(x -> x[1] == 4).skip(2).findFirst().orElseThrow();
        int cut = (int) third[0] + 20;
        Path f = Files.write(tmp.resolve("cut.jftrace"), Arrays.copyOf(all, cut));
        Run r = report(f.toString());
        assertThat(r.code).isZero();
        assertThat(r.err).isEqualTo(String.format("jftrace report: %s is truncated at byte %d (block %d is cut short): the traced"
                + " JVM stopped before it finished writing; showing the 8 records before that%n", f, third[0],
                b.indexOf(third) + 1));
        assertThat(r.out).contains(" 1)   0.005 us    |    t.M.c();\n").doesNotContain("t.M.d");
        // a file that stops between blocks: no end mark
        Path g = Files.write(tmp.resolve("noend.jftrace"), Arrays.copyOf(all, (int) third[0]));
        r = report("-f", "folded", g.toString());
        assertThat(r.code).isZero();
        assertThat(r.err).contains("is truncated at byte " + third[0] + " (no end mark)").contains("showing the 8 records");
        assertThat(r.out).contains("t.W.x;t.M.c 5\n");
    }

    @Test
    void corruptChecksumIsOneLineNamingTheBlockAndItsOffset(@TempDir Path tmp) throws Exception {
        byte[] all = Files.readAllBytes(Samples.sample(tmp, true, 1));
        long[] events = blocks(all).stream().filter(x -> x[1] == 4).findFirst().orElseThrow();
        all[(int) events[0] + 9 + 5] ^= 0x40;
        Path f = Files.write(tmp.resolve("bad.jftrace"), all);
        Run r = report(f.toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.out).isEmpty();
        assertThat(r.err).startsWith("jftrace: report: " + f + ": block 4 (EVENTS) at byte " + events[0] + ": checksum mismatch")
                .hasLineCount(1).doesNotContain("Exception");
    }

    @Test
    void foreignFileIsOneLineSayingItIsNotTraceData(@TempDir Path tmp) throws Exception {
        Path f = Files.write(tmp.resolve("x.zip"), new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        Run r = report("-f", "chrome-json", f.toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).isEqualTo("jftrace: report: " + f + ": not jftrace trace data (byte 0 is not the JFTRDATA magic)\n");
        Path empty = Files.write(tmp.resolve("empty.jftrace"), new byte[0]);
        assertThat(report(empty.toString()).err).isEqualTo("jftrace: report: " + empty + ": an empty file, not jftrace trace data\n");
    }

    @Test
    void otherVersionIsOneLineNamingIt(@TempDir Path tmp) throws Exception {
        Path v1 = Files.write(tmp.resolve("v1.jftrace"), "JFTRDATA\0\u0001\0\u0001".getBytes(StandardCharsets.ISO_8859_1));
        Run r = report(v1.toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).isEqualTo("jftrace: report: " + v1 + ": trace data version 1 (this jftrace reads version 2): record it again\n");
        Path v9 = Files.write(tmp.resolve("v9.jftrace"), "JFTRDATA\0\u0009\0\0".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(report(v9.toString()).err).isEqualTo("jftrace: report: " + v9 + ": trace data version 9 (this jftrace reads version 2)\n");
    }

    /** A block with a correct checksum over {@code payload}. */
    static byte[] block(int kind, byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(kind);
        for (long v : new long[] {payload.length, crc.getValue()}) {
            for (int s = 24; s >= 0; s -= 8) {
                b.write((int) (v >>> s));
            }
        }
        b.writeBytes(payload);
        return b.toByteArray();
    }

    @Test
    void unknownBlockKindAndRecordTypeAreOneLineNamingThem(@TempDir Path tmp) throws Exception {
        byte[] all = Files.readAllBytes(Samples.sample(tmp, true, 1));
        long[] end = blocks(all).get(blocks(all).size() - 1);
        byte[] head = Arrays.copyOf(all, (int) end[0]);
        // kind 9 where END should be
        ByteArrayOutputStream k = new ByteArrayOutputStream();
        k.writeBytes(head);
        k.writeBytes(block(9, new byte[] {1, 2}));
        Path f = Files.write(tmp.resolve("kind.jftrace"), k.toByteArray());
        Run r = report(f.toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).isEqualTo("jftrace: report: " + f + ": block " + blocks(all).size() + " (kind 9) at byte " + end[0]
                + ": unknown block kind 9\n");
        // an EVENTS block (raw) of buffer 0, thread key 1, firstTs 400, 1 record of type 99
        byte[] events = {0, 13, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte) 144, 1, 99, 0};
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        t.writeBytes(head);
        t.writeBytes(block(4, events));
        t.writeBytes(block(0, new byte[0]));
        Path g = Files.write(tmp.resolve("type.jftrace"), t.toByteArray());
        r = report("-f", "chrome-json", g.toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).isEqualTo("jftrace: report: " + g + ": block " + blocks(all).size() + " (EVENTS) at byte " + end[0]
                + ": unknown record type 99 (record 1 of 1)\n");
    }
}
