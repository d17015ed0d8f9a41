package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --export zipkin=} end to end: a real Zipkin server on loopback, then its query API. */
class ZipkinExportIT {

    static ZipkinServer zipkin;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startZipkin() throws Exception {
        zipkin = ZipkinServer.start();
    }

    @AfterAll
    static void stopZipkin() throws Exception {
        if (zipkin != null) {
            zipkin.close();
        }
    }

    /** Every span Zipkin holds for the service, polled until {@code done} holds of them (at most 30 s). */
    static List<JsonNode> spans(String service, Predicate<List<JsonNode>> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<JsonNode> spans = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            spans = new ArrayList<>();
            for (JsonNode trace : JSON.readTree(zipkin.get("/api/v2/traces?serviceName=" + service + "&limit=1000"))) {
                trace.forEach(spans::add);
            }
            if (done.test(spans)) {
                return spans;
            }
            Thread.sleep(200);
        }
        return spans;
    }

    static List<JsonNode> named(List<JsonNode> spans, String name) {
        return spans.stream().filter(s -> s.get("name").asText().equals(name)).toList();
    }

    static String tag(JsonNode span, String key) {
        JsonNode t = span.path("tags").get(key);
        return t == null ? null : t.asText();
    }

    @Test
    void withFuncgraphArgsAndRetvalSpansCarryTheArgumentsAndTheExceptionsClass() throws Exception {
        // no --thresh: the arguments are in the entry records, which a threshold leaves out
        ChildJvm r = RecordCommandIT.jftrace("record", "-O", "funcgraph-args", "-O", "funcgraph-retval", "--include",
                "itest.SpanApp", "-l", "itest.SpanApp.handle", "-l", "itest.SpanApp.fail", "--export", "zipkin=" + zipkin.url(),
                "--", ChildJvm.java(), "-cp", ChildJvm.TEST_CLASSES.toString(), "itest.SpanArgsApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        // a service of its own (the main class): the other tests count SpanApp's spans
        List<JsonNode> spans = spans("itest.spanargsapp", s -> named(s, "spanapp.fail").stream()
                .anyMatch(f -> tag(f, "exception.type") != null) && named(s, "spanapp.handle").stream()
                .anyMatch(h -> "(i=2)".equals(tag(h, "jftrace.arguments"))));
        assertThat(named(spans, "spanapp.fail")).as(spans.toString())
                .anySatisfy(f -> assertThat(tag(f, "exception.type")).isEqualTo("java.lang.IllegalStateException"));
        assertThat(named(spans, "spanapp.handle").stream().map(h -> tag(h, "jftrace.arguments")))
                .as(spans.toString()).contains("(i=0)", "(i=1)", "(i=2)");
    }

    @Test
    void recordSendsTheCallsOverTheThresholdToZipkinNestedAsTheyRan() throws Exception {
        long before = System.currentTimeMillis() * 1000;
        ChildJvm r = RecordCommandIT.jftrace("record", "--thresh", "1ms", "--include", "itest.SpanApp", "--export",
                "zipkin=" + zipkin.url(), "--", ChildJvm.java(), "-cp", ChildJvm.TEST_CLASSES.toString(), "itest.SpanApp");
        long after = System.currentTimeMillis() * 1000;
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("served 3");
        assertThat(r.err).containsPattern("jftrace: export zipkin=http://127.0.0.1:\\d+/api/v2/spans: \\d+ spans sent\n");

        // Zipkin keeps names in lower case
        List<JsonNode> spans = spans("itest.spanapp", s -> named(s, "spanapp.main").size() == 1 && named(s, "spanapp.work").size() == 1);
        Map<String, JsonNode> byId = new HashMap<>();
        spans.forEach(s -> byId.put(s.get("id").asText(), s));
        List<JsonNode> main = named(spans, "spanapp.main");
        assertThat(main).as(spans.toString()).hasSize(1);
        JsonNode m = main.get(0);
        assertThat(m.has("parentId")).isFalse();
        String mainId = m.get("id").asText();
        String traceId = m.get("traceId").asText();

        List<JsonNode> handles = named(spans, "spanapp.handle");
        assertThat(handles).hasSize(3).allSatisfy(h -> assertThat(h.get("parentId").asText()).isEqualTo(mainId));
        List<JsonNode> loads = named(spans, "spanapp.load");
        assertThat(loads).hasSize(3).allSatisfy(l -> assertThat(parentName(byId, l)).isEqualTo("spanapp.handle"));
        List<JsonNode> parses = named(spans, "spanapp.parse");
        assertThat(parses).hasSize(6);
        assertThat(parses.stream().filter(p -> parentName(byId, p).equals("spanapp.load")).count()).isEqualTo(3);
        assertThat(parses.stream().filter(p -> parentName(byId, p).equals("spanapp.handle")).count()).isEqualTo(3);
        List<JsonNode> fails = named(spans, "spanapp.fail");
        assertThat(fails).hasSize(1);
        assertThat(parentName(byId, fails.get(0))).isEqualTo("spanapp.handle");
        assertThat(tag(fails.get(0), "error")).isNotNull();
        assertThat(tag(fails.get(0), "otel.status_code")).isEqualTo("ERROR");
        assertThat(tag(loads.get(0), "error")).isNull();
        // 600 calls of a few nanoseconds: under the threshold (the first, cold, may not be)
        assertThat(named(spans, "spanapp.check").size()).isLessThan(5);

        for (JsonNode s : spans) {
            JsonNode parent = s.has("parentId") ? byId.get(s.get("parentId").asText()) : null;
            if (!s.get("name").asText().equals("spanapp.work")) {
                assertThat(s.get("traceId").asText()).isEqualTo(traceId);
                assertThat(tag(s, "thread.name")).isEqualTo("main");
            }
            if (parent != null) { // a child runs inside its parent (times in whole microseconds)
                long start = s.get("timestamp").asLong();
                long pStart = parent.get("timestamp").asLong();
                assertThat(start).isGreaterThanOrEqualTo(pStart - 1);
                assertThat(start + s.get("duration").asLong()).isLessThanOrEqualTo(pStart + parent.get("duration").asLong() + 2);
            }
            assertThat(s.get("localEndpoint").get("serviceName").asText()).isEqualTo("itest.spanapp");
            assertThat(tag(s, "code.namespace")).isEqualTo("itest.SpanApp");
            assertThat(tag(s, "process.pid")).matches("\\d+");
            assertThat(tag(s, "host.name")).isNotBlank();
            assertThat(tag(s, "thread.id")).matches("\\d+");
        }
        assertThat(tag(loads.get(0), "code.function")).isEqualTo("load");
        // the trace clock mapped to wall time: the run happened between before and after
        assertThat(m.get("timestamp").asLong()).isBetween(before, after);
        assertThat(loads).allSatisfy(l -> assertThat(l.get("duration").asLong()).isGreaterThanOrEqualTo(25_000));

        JsonNode work = named(spans, "spanapp.work").get(0);
        assertThat(work.has("parentId")).isFalse();
        assertThat(work.get("traceId").asText()).isNotEqualTo(traceId);
        assertThat(tag(work, "thread.name")).isEqualTo("span-worker");
    }

    static String parentName(Map<String, JsonNode> byId, JsonNode span) {
        JsonNode p = span.has("parentId") ? byId.get(span.get("parentId").asText()) : null;
        return p == null ? "(none)" : p.get("name").asText();
    }

    static boolean aParseUnderItsLoad(List<JsonNode> spans) {
        Map<String, JsonNode> byId = new HashMap<>();
        spans.forEach(s -> byId.put(s.get("id").asText(), s));
        return named(spans, "spanapp.parse").stream().anyMatch(p -> parentName(byId, p).equals("spanapp.load"));
    }

    @Test
    void attachSendsSpansWhileItIsStillTracing(@TempDir Path tmp) throws Exception {
        try (LoopJvm j = LoopJvm.start(List.of(), "itest.SpanLoopApp")) {
            File out = tmp.resolve("out").toFile();
            File err = tmp.resolve("err").toFile();
            Process attach = LoopJvm.jftraceAsync(out, err, "attach", Long.toString(j.pid), "--include", "itest.*",
                    "--thresh", "1ms", "--duration", "60s", "--export", "zipkin=" + zipkin.url());
            try {
                // a parse whose load is there too: spans go in batches, and the calls running when the
                // attach began have no return in the data (their children's parent never arrives)
                List<JsonNode> spans = spans("itest.spanloopapp", ZipkinExportIT::aParseUnderItsLoad);
                assertThat(attach.isAlive()).as("the attach still traces").isTrue();
                assertThat(aParseUnderItsLoad(spans)).as(spans + "\n" + Files.readString(err.toPath())).isTrue();
            } finally {
                attach.destroy(); // as Ctrl-C: the command stops tracing, sends the rest and detaches
                assertThat(attach.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            String e = Files.readString(err.toPath());
            assertThat(e).containsPattern("jftrace: export zipkin=http://127.0.0.1:\\d+/api/v2/spans: [\\d,]+ spans sent\n");
            AttachIT.assertDetached(j);
            assertThat(j.stop()).contains("served ");
        }
    }
}
