package org.jftrace.cli.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jftrace.cli.report.DataTail;
import org.jftrace.cli.report.Jvm;
import org.jftrace.cli.report.Record;

/**
 * One traced JVM's stream, followed: its calls become spans of a tracer provider of its own, whose
 * resource names that JVM, batched to every target by the SDK's batch processor.
 */
final class StreamExport implements DataTail.Listener {

    /** Spans a batch processor holds before it drops; the follower waits while half of it is unsent. */
    static final int QUEUE = 1 << 15;
    /** Spans per request: fewer, larger requests keep up with more calls per second (about 0.5 MB each). */
    static final int BATCH = 1024;

    private final List<Tally> tallies;
    private final long thresh;
    private final AtomicLong made;
    private SdkTracerProvider provider;
    private CallSpans calls;

    /** @param made counts the spans handed to the SDK, over all streams */
    StreamExport(List<Tally> tallies, long thresh, AtomicLong made) {
        this.tallies = tallies;
        this.thresh = thresh;
        this.made = made;
    }

    @Override
    public void stream(Jvm jvm) {
        if (!"function_graph".equals(jvm.tracer) || jvm.isCounter()) {
            System.err.println("jftrace: export: JVM " + jvm.pid + " records with " + jvm.tracer + " and the " + jvm.clock
                    + " clock: no spans from it (they need function_graph and the mono clock)");
            return;
        }
        PlannedIds ids = new PlannedIds();
        SdkTracerProviderBuilder b = SdkTracerProvider.builder().setResource(Resource.getDefault().merge(JvmResource.of(jvm)))
                .setIdGenerator(ids).setSampler(Sampler.alwaysOn());
        for (Tally t : tallies) {
            b.addSpanProcessor(BatchSpanProcessor.builder(new CountingExporter(Exporters.create(t.target), t))
                    .setMaxQueueSize(QUEUE).setMaxExportBatchSize(BATCH).setScheduleDelay(Duration.ofMillis(200))
                    .setExporterTimeout(Exporters.TIMEOUT).build());
        }
        provider = b.build();
        SpanWriter writer = new SpanWriter(provider.get("org.jftrace"), ids, jvm);
        calls = new CallSpans(jvm, thresh, c -> {
            writer.call(c);
            made.incrementAndGet();
        });
    }

    @Override
    public void record(Jvm jvm, Record r) {
        if (calls != null) {
            calls.record(r);
        }
    }

    @Override
    public void end(Jvm jvm, boolean clean) {
        if (calls != null) {
            calls.finish();
        }
    }

    /** Sends what is queued and stops; the caller bounds the wait. */
    CompletableResultCode shutdown() {
        return provider == null ? CompletableResultCode.ofSuccess() : provider.shutdown();
    }
}
