package org.jftrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.jftrace.cli.report.TraceData;
import org.jftrace.data.TraceDataWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jftrace report on a small hand-made trace whose every figure is known. */
class ReportCommandTest {

    static final String A = "t.M.a()V";
    static final String B = "t.M.b(I)I";
    static final String C = "t.M.c(Ljava/lang/String;)V";
    static final String D = "t.M.d()V";
    static final String E = "t.M.e()V";
    static final String X = "t.W.x()V";

    /**
     * main (tid 1): a[100,300] { b[110,200] { c[120,150] } d[210,260] threw }; worker (tid 7, virtual):
     * x[130,...] unfinished { c[140,145] } + a marker; tid 9: e[250,280], its entry lost.
     */
    static Path sample(Path dir, boolean gzip, int frames) throws Exception {
        Path f = dir.resolve("sample.jftrace");
        try (OutputStream out = Files.newOutputStream(f)) {
            for (int i = 0; i < frames; i++) {
                try (TraceDataWriter w = new TraceDataWriter(out, gzip)) {
                    w.header("function_graph", "mono", 4242 + i, 1000, 1_700_000_000_000_000_000L, "overwrite\n", "java 17: test");
                    w.entry(1, "main", false, 100, 0, 1, A, 1);
                    w.entry(1, "main", false, 110, 0, 2, B, 2);
                    w.entry(1, "main", false, 120, 0, 3, C, 3);
                    w.entry(7, "worker", true, 130, 1, 6, X, 1);
                    w.entry(7, "worker", true, 140, 1, 3, C, 2);
                    w.ret(7, "worker", true, 145, 1, 3, C, 2, 140, false, 0);
                    w.marker(7, "worker", true, 146, 1, "hello");
                    w.ret(1, "main", false, 150, 0, 3, C, 3, 120, false, 0);
                    w.ret(1, "main", false, 200, 0, 2, B, 2, 110, false, 42);
                    w.entry(1, "main", false, 210, 0, 4, D, 2);
                    w.ret(1, "main", false, 260, 0, 4, D, 2, 210, true, 0);
                    w.ret(9, "pool-1", false, 280, 2, 5, E, 1, 250, false, 0);
                    w.ret(1, "main", false, 300, 0, 1, A, 1, 100, false, 0);
                    w.text("# tracer: function_graph\n(the text)\n");
                }
            }
        }
        return f;
    }

    static final class Run {
        int code;
        String out;
        String err;
    }

    static Run report(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Run r = new Run();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            List<String> a = new ArrayList<>(List.of("report"));
            a.addAll(List.of(args));
            r.code = Main.run(a.toArray(new String[0]));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        r.out = out.toString(StandardCharsets.UTF_8);
        r.err = err.toString(StandardCharsets.UTF_8);
        return r;
    }

    @Test
    void dataRoundTripsThroughTheWriterAndTheReader(@TempDir Path tmp) throws Exception {
        for (boolean gzip : new boolean[] {false, true}) {
            TraceData d = TraceData.read(sample(tmp, gzip, 1));
            TraceData.Jvm j = d.jvms.get(0);
            assertThat(j.pid).isEqualTo(4242);
            assertThat(j.tracer).isEqualTo("function_graph");
            assertThat(j.text).isEqualTo("# tracer: function_graph\n(the text)\n");
            assertThat(j.events).hasSize(13);
            assertThat(j.events.get(0).ts).isEqualTo(100);
            TraceData.Event dRet = j.events.get(10);
            assertThat(dRet.type).isEqualTo(11);
            assertThat(j.function(dRet.ip)).isEqualTo(D);
            assertThat(dRet.exceptional).isTrue();
            assertThat(dRet.callTime()).isEqualTo(210);
            assertThat(j.events.get(8).retval).isEqualTo(42);
            assertThat(j.events.get(3).thread.virtual).isTrue();
            assertThat(j.events.get(6).side).isEqualTo("hello");
            assertThat(j.wallNanos(1100)).isEqualTo(1_700_000_000_000_000_100L);
        }
    }

    @Test
    void textIsTheStoredFtraceTextPerJvm(@TempDir Path tmp) throws Exception {
        Run r = report(sample(tmp, true, 1).toString());
        assertThat(r.code).isZero();
        assertThat(r.out).isEqualTo("# tracer: function_graph\n(the text)\n");
        r = report(sample(tmp, true, 2).toString());
        assertThat(r.out).isEqualTo("# jvm 4242\n# tracer: function_graph\n(the text)\n# jvm 4243\n# tracer: function_graph\n(the text)\n");
    }

    @Test
    void foldedCountsSelfNanosecondsOrCalls(@TempDir Path tmp) throws Exception {
        Path f = sample(tmp, true, 1);
        Run r = report("-f", "folded", f.toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).isEqualTo("t.M.a 60\nt.M.a;t.M.b 60\nt.M.a;t.M.b;t.M.c 30\nt.M.a;t.M.d 50\nt.M.e 30\n"
                + "t.W.x 165\nt.W.x;t.M.c 5\n");
        r = report("-f", "folded", "--folded-weight", "calls", "--per-thread", f.toString());
        assertThat(r.out).isEqualTo("[main];t.M.a 1\n[main];t.M.a;t.M.b 1\n[main];t.M.a;t.M.b;t.M.c 1\n[main];t.M.a;t.M.d 1\n"
                + "[pool-1];t.M.e 1\n[worker (virtual)];t.W.x 1\n[worker (virtual)];t.W.x;t.M.c 1\n");
        r = report("-f", "folded", "--descriptor", f.toString());
        assertThat(r.out).contains("t.M.a()V;t.M.b(I)I;t.M.c(Ljava/lang/String,)V 30\n");
    }

    @Test
    void perfettoJsonParsesAndItsSlicesNestAsTheGraph(@TempDir Path tmp) throws Exception {
        Path f = sample(tmp, true, 1);
        Run r = report("--format", "perfetto", f.toString());
        assertThat(r.code).as(r.err).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out);
        Map<String, JsonNode> x = new HashMap<>();
        Map<Long, String> threads = new HashMap<>();
        int instants = 0;
        for (JsonNode e : root.get("traceEvents")) {
            switch (e.get("ph").asText()) {
                case "X":
                    x.put(e.get("name").asText() + "@" + e.get("tid").asLong(), e);
                    assertThat(e.get("pid").asLong()).isEqualTo(4242);
                    break;
                case "M":
                    if (e.get("name").asText().equals("thread_name")) {
                        threads.put(e.get("tid").asLong(), e.get("args").get("name").asText());
                    }
                    break;
                case "i":
                    instants++;
                    assertThat(e.get("name").asText()).isEqualTo("hello");
                    break;
                default:
                    throw new AssertionError(e.toString());
            }
        }
        assertThat(threads).containsEntry(1L, "main").containsEntry(7L, "worker (virtual)").containsEntry(9L, "pool-1");
        assertThat(instants).isEqualTo(1);
        assertThat(x.keySet()).containsExactlyInAnyOrder("t.M.a@1", "t.M.b@1", "t.M.c@1", "t.M.d@1", "t.W.x@7", "t.M.c@7", "t.M.e@9");
        // microseconds from the first record, nanoseconds kept exactly
        assertThat(x.get("t.M.b@1").get("ts").decimalValue()).isEqualByComparingTo(new BigDecimal("0.010"));
        assertThat(x.get("t.M.b@1").get("dur").decimalValue()).isEqualByComparingTo(new BigDecimal("0.090"));
        assertThat(x.get("t.M.d@1").get("args").get("threw").asBoolean()).isTrue();
        assertThat(x.get("t.M.d@1").get("args").get("function").asText()).isEqualTo(D);
        assertThat(x.get("t.W.x@7").get("args").get("unfinished").asBoolean()).isTrue();
        assertThat(x.get("t.W.x@7").get("dur").decimalValue()).isEqualByComparingTo(new BigDecimal("0.170"));
        assertContains(x.get("t.M.a@1"), x.get("t.M.b@1"));
        assertContains(x.get("t.M.b@1"), x.get("t.M.c@1"));
        assertContains(x.get("t.M.a@1"), x.get("t.M.d@1"));
        assertContains(x.get("t.W.x@7"), x.get("t.M.c@7"));
    }

    static void assertContains(JsonNode parent, JsonNode child) {
        BigDecimal ps = parent.get("ts").decimalValue();
        BigDecimal pe = ps.add(parent.get("dur").decimalValue());
        BigDecimal cs = child.get("ts").decimalValue();
        BigDecimal ce = cs.add(child.get("dur").decimalValue());
        assertThat(child.get("tid").asLong()).isEqualTo(parent.get("tid").asLong());
        assertThat(cs).isGreaterThanOrEqualTo(ps);
        assertThat(ce).isLessThanOrEqualTo(pe);
    }

    @Test
    void htmlIsSelfContainedWithBothViews(@TempDir Path tmp) throws Exception {
        Run r = report("-f", "html", "--title", "a <b> & c", sample(tmp, true, 1).toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).startsWith("<!DOCTYPE html>").contains("<title>a &lt;b&gt; &amp; c</title>")
                .contains("\"t.M.a\"").contains("\"self\":").contains("\"total\":")
                .doesNotContain("http://", "https://", "<script src", "<link");
    }

    @Test
    void jfrHoldsOneEventPerCallWithTheTracedFigures(@TempDir Path tmp) throws Exception {
        Path jfr = tmp.resolve("t.jfr");
        Run r = report("-f", "jfr", "-o", jfr.toString(), sample(tmp, true, 1).toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.err).contains("wrote 7 jftrace.FunctionCall events");
        List<RecordedEvent> calls = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (e.getEventType().getName().equals("jftrace.FunctionCall")) {
                calls.add(e);
            }
        }
        assertThat(calls).hasSize(7);
        RecordedEvent d = calls.stream().filter(e -> e.getString("method").equals(D)).findFirst().orElseThrow();
        assertThat(d.getDuration("traceDuration").toNanos()).isEqualTo(50);
        assertThat(d.getDuration("traceOffset").toNanos()).isEqualTo(110);
        assertThat(d.getBoolean("threw")).isTrue();
        assertThat(d.getInt("depth")).isEqualTo(1);
        assertThat(d.getString("caller")).isEqualTo(A);
        assertThat(d.getString("tracedThread")).isEqualTo("main");
        RecordedEvent a = calls.stream().filter(e -> e.getString("method").equals(A)).findFirst().orElseThrow();
        assertThat(a.getDuration("selfTime").toNanos()).isEqualTo(60);
    }

    @Test
    void badInputIsAOneLineError(@TempDir Path tmp) throws Exception {
        Run r = report(tmp.resolve("nope").toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).isEqualTo("jftrace: report: no such file '" + tmp.resolve("nope") + "'\n");
        Path text = Files.writeString(tmp.resolve("trace.txt"), "# tracer: nop\n");
        assertThat(report(text.toString()).out).isEqualTo("# tracer: nop\n");
        r = report("-f", "perfetto", text.toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("is not jftrace trace data");
        Path bad = Files.write(tmp.resolve("bad.jftrace"), "JFTRDATA\0\u0009".getBytes(StandardCharsets.ISO_8859_1));
        r = report(bad.toString());
        assertThat(r.err).isEqualTo("jftrace: report: " + bad + ": trace data version 9 (this jftrace reads version 1)\n");
        r = report("-f", "jfr", sample(tmp, true, 1).toString());
        assertThat(r.err).contains("needs").doesNotContain("Exception");
    }
}
