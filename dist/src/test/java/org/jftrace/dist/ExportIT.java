package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --export} without Zipkin: OTLP/HTTP to a loopback receiver that decodes each request with
 * OpenTelemetry's own protobuf schema (no OTLP backend runs on this machine), backends that are down
 * or refuse the data, and values refused before tracing starts.
 */
class ExportIT {

    static ChildJvm recordSpanApp(String... exportArgs) throws Exception {
        return recordSpanApp(List.of(), exportArgs);
    }

    static ChildJvm recordSpanApp(List<String> jvmArgs, String... exportArgs) throws Exception {
        List<String> a = new ArrayList<>(List.of("record", "--thresh", "1ms", "--include", "itest.SpanApp"));
        a.addAll(List.of(exportArgs));
        a.addAll(List.of("--", ChildJvm.java()));
        a.addAll(jvmArgs);
        a.addAll(List.of("-cp", ChildJvm.TEST_CLASSES.toString(), "itest.SpanApp"));
        return RecordCommandIT.jftrace(a.toArray(new String[0]));
    }

    static String attr(List<KeyValue> attrs, String key) {
        for (KeyValue kv : attrs) {
            if (kv.getKey().equals(key)) {
                var v = kv.getValue();
                return v.hasIntValue() ? Long.toString(v.getIntValue()) : v.hasBoolValue() ? Boolean.toString(v.getBoolValue())
                        : v.getStringValue();
            }
        }
        return null;
    }

    @Test
    void otlpSpansArriveAsTheProtocolsProtobufWithTheirResourceAndNesting(@TempDir Path tmp) throws Exception {
        List<ResourceSpans> received = new CopyOnWriteArrayList<>();
        List<String> contentTypes = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", ex -> {
            contentTypes.add(ex.getRequestHeaders().getFirst("Content-Type"));
            received.addAll(ExportTraceServiceRequest.parseFrom(ex.getRequestBody().readAllBytes()).getResourceSpansList());
            byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        server.start();
        try {
            Path classes = tmp.resolve("classes.txt");
            ChildJvm r = recordSpanApp(List.of("-Xlog:class+load:file=" + classes), "--export",
                    "otlp=http://127.0.0.1:" + server.getAddress().getPort());
            assertThat(r.exitCode).as(r.toString()).isZero();
            assertThat(r.out).contains("served 3");
            // the traced JVM only records: the SDK is the command's
            assertThat(Files.readString(classes)).contains("itest.SpanApp").doesNotContain("otel").doesNotContain("opentelemetry");
            assertThat(r.err).containsPattern("jftrace: export otlp=http://127.0.0.1:\\d+/v1/traces: \\d+ spans sent\n");
        } finally {
            server.stop(0);
        }
        assertThat(contentTypes).isNotEmpty().allSatisfy(t -> assertThat(t).isEqualTo("application/x-protobuf"));
        List<Span> spans = new ArrayList<>();
        for (ResourceSpans rs : received) {
            List<KeyValue> res = rs.getResource().getAttributesList();
            assertThat(attr(res, "service.name")).isEqualTo("itest.SpanApp");
            assertThat(attr(res, "process.pid")).matches("\\d+");
            assertThat(attr(res, "host.name")).isNotBlank();
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                spans.addAll(ss.getSpansList());
            }
        }
        Map<com.google.protobuf.ByteString, Span> byId = new HashMap<>();
        spans.forEach(s -> byId.put(s.getSpanId(), s));
        assertThat(spans.stream().filter(s -> s.getName().equals("SpanApp.handle")).count()).isEqualTo(3);
        for (Span s : spans) {
            Span parent = byId.get(s.getParentSpanId());
            String expected = switch (s.getName()) {
                case "SpanApp.main", "SpanApp.work" -> null;
                case "SpanApp.handle" -> "SpanApp.main";
                case "SpanApp.load", "SpanApp.fail" -> "SpanApp.handle";
                default -> "any";
            };
            if (!"any".equals(expected)) {
                assertThat(parent == null ? null : parent.getName()).as(s.getName()).isEqualTo(expected);
            }
            if (parent != null) {
                assertThat(s.getTraceId()).isEqualTo(parent.getTraceId());
                assertThat(s.getStartTimeUnixNano()).isGreaterThanOrEqualTo(parent.getStartTimeUnixNano());
                assertThat(s.getEndTimeUnixNano()).isLessThanOrEqualTo(parent.getEndTimeUnixNano());
            }
            assertThat(attr(s.getAttributesList(), "code.namespace")).isEqualTo("itest.SpanApp");
            assertThat(attr(s.getAttributesList(), "code.function")).isEqualTo(s.getName().substring("SpanApp.".length()));
            assertThat(s.getStatus().getCode()).isEqualTo(s.getName().equals("SpanApp.fail")
                    ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET);
        }
    }

    @Test
    void aBackendThatIsDownOrRefusesTheSpansNeverStopsTheTrace() throws Exception {
        HttpServer refusing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        refusing.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] b = "no thanks".getBytes();
            ex.sendResponseHeaders(400, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        refusing.start();
        int down = ZipkinServer.freePort();
        try {
            ChildJvm r = recordSpanApp("--export", "zipkin=http://127.0.0.1:" + refusing.getAddress().getPort(),
                    "--export", "otlp=http://127.0.0.1:" + down);
            assertThat(r.exitCode).as(r.toString()).isZero();
            assertThat(r.out).contains("served 3");
            assertThat(r.err).containsPattern("export zipkin=\\S+: 0 of (\\d+) spans sent; \\1 failed, 0 dropped \\(.*HTTP 400: no thanks\\)")
                    .containsPattern("export otlp=\\S+: 0 of (\\d+) spans sent; \\1 failed, 0 dropped");
        } finally {
            refusing.stop(0);
        }
    }

    @Test
    void aBadExportValueIsRefusedBeforeTracingStartsNamingTheBadToken() throws Exception {
        for (String[] c : new String[][] {{"foo=http://x", "unknown scheme 'foo'"}, {"otlp=not a url", "bad URL 'not a url'"},
                {"zipkin", "'zipkin': expected SCHEME=URL"}}) {
            ChildJvm r = recordSpanApp("--export", c[0]);
            assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
            assertThat(r.out).doesNotContain("served");
            assertThat(r.err.lines().toList()).as(r.err).hasSize(1);
            assertThat(r.err).startsWith("jftrace: --export").contains(c[1]);
        }
        ChildJvm f = RecordCommandIT.jftrace("record", "-p", "function", "--export", "zipkin=http://127.0.0.1:9411", "--",
                ChildJvm.java(), "-cp", ChildJvm.TEST_CLASSES.toString(), "itest.SpanApp");
        assertThat(f.exitCode).isEqualTo(2);
        assertThat(f.err).isEqualTo("jftrace: --export needs the function_graph tracer (spans are its calls), not -p function\n");
    }
}
