package org.jftrace.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ZipkinJsonExporterTest {

    /** Keeps what the SDK exports. */
    static final class Kept implements SpanExporter {
        final List<SpanData> spans = new ArrayList<>();

        @Override
        public CompletableResultCode export(Collection<SpanData> s) {
            spans.addAll(s);
            return CompletableResultCode.ofSuccess();
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

    @Test
    void spansBecomeZipkinV2JsonWithMicrosecondsTheServiceAndTagsEscaped() throws Exception {
        Kept kept = new Kept();
        SdkTracerProvider p = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(kept))
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "com.acme.Main",
                        AttributeKey.longKey("process.pid"), 42L))).build();
        Tracer t = p.get("test");
        Span root = t.spanBuilder("Main.run").setStartTimestamp(1_700_000_000_123_456_789L, TimeUnit.NANOSECONDS).startSpan();
        Span child = t.spanBuilder("Main.\"odd\"\n").setParent(Context.root().with(root))
                .setStartTimestamp(1_700_000_000_123_500_000L, TimeUnit.NANOSECONDS)
                .setAttribute("thread.name", "a\\b").startSpan();
        child.setStatus(StatusCode.ERROR, "threw");
        child.end(1_700_000_000_123_500_100L, TimeUnit.NANOSECONDS);
        root.end(1_700_000_000_125_456_789L, TimeUnit.NANOSECONDS);
        p.shutdown().join(5, TimeUnit.SECONDS);

        JsonNode json = new ObjectMapper().readTree(ZipkinJsonExporter.json(kept.spans));
        assertThat(json).hasSize(2);
        JsonNode c = json.get(0);
        JsonNode r = json.get(1);
        assertThat(r.get("name").asText()).isEqualTo("Main.run");
        assertThat(r.has("parentId")).isFalse();
        assertThat(r.get("timestamp").asLong()).isEqualTo(1_700_000_000_123_456L);
        assertThat(r.get("duration").asLong()).isEqualTo(2000);
        assertThat(r.get("localEndpoint").get("serviceName").asText()).isEqualTo("com.acme.Main");
        assertThat(r.get("tags").get("process.pid").asText()).isEqualTo("42");
        assertThat(r.get("tags").has("service.name")).isFalse();
        assertThat(c.get("name").asText()).isEqualTo("Main.\"odd\"\n");
        assertThat(c.get("parentId").asText()).isEqualTo(r.get("id").asText());
        assertThat(c.get("traceId").asText()).isEqualTo(r.get("traceId").asText()).hasSize(32);
        assertThat(c.get("duration").asLong()).as("never 0").isEqualTo(1);
        assertThat(c.get("tags").get("thread.name").asText()).isEqualTo("a\\b");
        assertThat(c.get("tags").get("error").asText()).isEqualTo("threw");
    }
}
