package org.jftrace.cli.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/** Counts, for the summary at the end, the spans an exporter got through and those it failed to. */
final class CountingExporter implements SpanExporter {

    private final SpanExporter delegate;
    private final Tally tally;

    CountingExporter(SpanExporter delegate, Tally tally) {
        this.delegate = delegate;
        this.tally = tally;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        int n = spans.size();
        CompletableResultCode r;
        try {
            r = delegate.export(spans);
        } catch (RuntimeException e) {
            tally.failed.addAndGet(n);
            tally.lastError = describe(e);
            return CompletableResultCode.ofFailure();
        }
        r.whenComplete(() -> {
            if (r.isSuccess()) {
                tally.sent.addAndGet(n);
            } else {
                tally.failed.addAndGet(n);
                tally.lastError = describe(r.getFailureThrowable());
            }
        });
        return r;
    }

    /** The first message down the causes, or the exception's name (a refused connection has no message). */
    static String describe(Throwable t) {
        if (t == null) {
            return "the backend did not accept them";
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return c.getMessage();
            }
        }
        return t.getClass().getSimpleName() + (t.getClass().getSimpleName().equals("ConnectException") ? ": cannot connect" : "");
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }
}
