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

    /** The root cause, named: "ConnectException", "HttpTimeoutException: request timed out", or our own message. */
    static String describe(Throwable t) {
        if (t == null) {
            return "the backend did not accept them";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        if (m == null || m.isBlank()) {
            return root.getClass().getSimpleName();
        }
        return root.getClass() == java.io.IOException.class ? m : root.getClass().getSimpleName() + ": " + m;
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
