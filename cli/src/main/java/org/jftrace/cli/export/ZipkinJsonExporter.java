package org.jftrace.cli.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * Sends spans as Zipkin v2 JSON to {@code /api/v2/spans}, over the JDK's HttpClient. OpenTelemetry's
 * own Zipkin exporter is no longer released with the SDK and brought OkHttp with it; the format is a
 * small JSON list. The SDK's batch processor hands the batches; a batch the server does not accept
 * (not 2xx, or no answer) fails as a whole and is counted.
 */
final class ZipkinJsonExporter implements SpanExporter {

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient client;

    ZipkinJsonExporter(URI endpoint, Duration timeout) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        CompletableResultCode result = new CompletableResultCode();
        HttpRequest req = HttpRequest.newBuilder(endpoint).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(spans), StandardCharsets.UTF_8)).build();
        client.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, error) -> {
            if (error != null) {
                result.failExceptionally(new java.io.IOException("cannot reach " + endpoint + ": "
                        + CountingExporter.describe(error)));
            } else if (resp.statusCode() / 100 != 2) {
                String body = resp.body() == null ? "" : resp.body().strip();
                result.failExceptionally(new java.io.IOException(endpoint + " answered HTTP " + resp.statusCode()
                        + (body.isEmpty() ? "" : ": " + (body.length() > 200 ? body.substring(0, 200) : body))));
            } else {
                result.succeed();
            }
        });
        return result;
    }

    /** Zipkin v2: ids in hex, times in microseconds, the service in localEndpoint, attributes as tags. */
    static String json(Collection<SpanData> spans) {
        StringBuilder sb = new StringBuilder(spans.size() * 400).append('[');
        boolean first = true;
        for (SpanData s : spans) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append("{\"traceId\":\"").append(s.getTraceId()).append("\",\"id\":\"").append(s.getSpanId()).append('"');
            if (s.getParentSpanContext().isValid()) {
                sb.append(",\"parentId\":\"").append(s.getParentSpanId()).append('"');
            }
            sb.append(",\"name\":");
            str(sb, s.getName());
            long start = TimeUnit.NANOSECONDS.toMicros(s.getStartEpochNanos());
            long duration = Math.max(1, TimeUnit.NANOSECONDS.toMicros(s.getEndEpochNanos() - s.getStartEpochNanos()));
            sb.append(",\"timestamp\":").append(start).append(",\"duration\":").append(duration);
            String service = s.getResource().getAttribute(SERVICE_NAME);
            sb.append(",\"localEndpoint\":{\"serviceName\":");
            str(sb, service == null ? "java" : service);
            sb.append("},\"tags\":{");
            boolean[] firstTag = {true};
            s.getResource().getAttributes().forEach((k, v) -> {
                if (!k.getKey().equals("service.name")) {
                    tag(sb, firstTag, k.getKey(), String.valueOf(v));
                }
            });
            s.getAttributes().forEach((k, v) -> tag(sb, firstTag, k.getKey(), String.valueOf(v)));
            if (s.getStatus().getStatusCode() == StatusCode.ERROR) {
                tag(sb, firstTag, "otel.status_code", "ERROR");
                tag(sb, firstTag, "error", s.getStatus().getDescription().isEmpty() ? "true" : s.getStatus().getDescription());
            }
            sb.append("}}");
        }
        return sb.append(']').toString();
    }

    private static void tag(StringBuilder sb, boolean[] first, String k, String v) {
        if (!first[0]) {
            sb.append(',');
        }
        first[0] = false;
        str(sb, k);
        sb.append(':');
        str(sb, v);
    }

    private static void str(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
