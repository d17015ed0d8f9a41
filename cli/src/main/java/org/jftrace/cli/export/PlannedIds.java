package org.jftrace.cli.export;

import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * The SDK's id source, handing out the ids {@link CallSpans} planned: a child's span names its parent
 * before the parent's span exists, so the parent's span must get exactly that id. Spans are started
 * by one thread, right after {@link #plan}.
 */
final class PlannedIds implements IdGenerator {

    private String traceId = TraceId.getInvalid();
    private String spanId = SpanId.getInvalid();

    void plan(Call c) {
        traceId = TraceId.fromLongs(c.traceIdHigh, c.traceIdLow);
        spanId = SpanId.fromLong(c.spanId);
    }

    @Override
    public String generateSpanId() {
        return spanId;
    }

    @Override
    public String generateTraceId() {
        return traceId;
    }
}
