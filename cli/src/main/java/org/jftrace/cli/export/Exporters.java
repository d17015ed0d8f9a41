package org.jftrace.cli.export;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;

/** The SDK exporter for a target's protocol. */
final class Exporters {

    /** How long one batch may take to send (connecting included) before it counts as failed. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Exporters() {
    }

    static SpanExporter create(ExportTarget t) {
        switch (t.protocol) {
            case OTLP:
                return OtlpHttpSpanExporter.builder().setEndpoint(t.endpoint.toString()).setTimeout(TIMEOUT).build();
            case ZIPKIN:
                return new ZipkinJsonExporter(t.endpoint, TIMEOUT);
            default:
                throw new IllegalStateException(t.protocol.toString());
        }
    }
}
