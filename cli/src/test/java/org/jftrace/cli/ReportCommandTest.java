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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jftrace report on a small trace data file whose every figure is known. */
class ReportCommandTest {

    static final String A = Samples.A;
    static final String D = Samples.D;

    static Path sample(Path dir, boolean deflate, int streams) throws Exception {
        return Samples.sample(dir, deflate, streams);
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
    void textIsTheFtraceGraphOfTheRecordsPerJvm(@TempDir Path tmp) throws Exception {
        Run r = report(sample(tmp, true, 1).toString());
        assertThat(r.code).as(r.err).isZero();
        String graph = "# tracer: function_graph\n"
                + "#\n"
                + "# BUF: the thread's trace buffer (the JVM's per-CPU buffer); TASK/PID: thread name/id\n"
                + "#\n"
                + "# BUF  DURATION                  FUNCTION CALLS\n"
                + "# |     |   |                     |   |   |   |\n"
                + " 0)               |  t.M.a() {\n"
                + " 0)               |    t.M.b() {\n"
                + " 0)   0.030 us    |      t.M.c();\n"
                + " 1)               |  t.W.x() {\n"
                + " 1)   0.005 us    |    t.M.c();\n"
                + " 1)               |    /* hello */\n"
                + " 0)   0.090 us    |    }\n"
                + " 0)   0.050 us    |    t.M.d(); /* threw */\n"
                + " 2)   0.030 us    |  } /* t.M.e */\n"
                + " 0)   0.200 us    |  }\n";
        assertThat(r.out).isEqualTo(graph);
        assertThat(r.err).isEmpty();
        r = report(Samples.sample(tmp, "two.jftrace", false, 2, false).toString());
        assertThat(r.out).isEqualTo("# jvm 4242\n" + graph + "# jvm 4243\n" + graph);
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
    void chromeJsonParsesAndItsSlicesNestAsTheGraph(@TempDir Path tmp) throws Exception {
        Path f = sample(tmp, true, 1);
        Run r = report("--format", "chrome-json", f.toString());
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
        r = report("-f", "chrome-json", text.toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("is ftrace text, not jftrace trace data");
        r = report("-f", "jfr", sample(tmp, true, 1).toString());
        assertThat(r.err).contains("needs").doesNotContain("Exception");
        r = report("-f", "perfetto", sample(tmp, true, 1).toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).isEqualTo("jftrace: report: --format perfetto needs -o FILE.pftrace (it writes a binary file);"
                + " the JSON is --format chrome-json\n");
        r = report("-f", "trace-dat", sample(tmp, true, 1).toString());
        assertThat(r.err).isEqualTo("jftrace: report: --format trace-dat needs -o FILE.dat (it writes a binary file)\n");
        r = report("-f", "tracedat", "-o", tmp.resolve("x").toString(), sample(tmp, true, 1).toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).isEqualTo("jftrace: report: unknown format 'tracedat' (text, perfetto, chrome-json, trace-dat,"
                + " folded, html, jfr)\n");
    }
}
