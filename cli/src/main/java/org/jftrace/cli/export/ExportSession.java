package org.jftrace.cli.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jftrace.cli.report.DataTail;

/**
 * The export of one {@code record} or {@code attach}: a thread of this process follows the data files
 * the traced JVMs write and turns their calls into spans as they arrive, so the traced JVMs do no more
 * than record. A backend that is slow makes the follower wait (the data stays on disk); one that is
 * down or refuses data costs only the spans it loses, counted in the line printed at the end.
 */
public final class ExportSession {

    /**
     * How long the end waits for the last spans: as long as a backend takes them, up to a limit, but
     * no longer than 15 s once none has been sent (a loaded machine's backend may take seconds per
     * batch), and not at all once every backend has refused all it was sent.
     */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final long FINAL_WAIT_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final int BLOCKS_PER_POLL = 16;

    /** The SDK's own failure logs would repeat for every batch: the summary line says it once. */
    private static final Logger SDK_LOG = quietSdkLog();

    private final List<Tally> tallies = new ArrayList<>();
    private final long thresh;
    private final Supplier<List<Path>> files;
    private final Map<Path, DataTail> tails = new LinkedHashMap<>();
    private final List<StreamExport> streams = new ArrayList<>();
    private final AtomicLong made = new AtomicLong();
    private final Thread thread;
    private volatile boolean finishing;

    private ExportSession(List<ExportTarget> targets, long threshNanos, Supplier<List<Path>> files) {
        for (ExportTarget t : targets) {
            tallies.add(new Tally(t));
        }
        this.thresh = threshNanos;
        this.files = files;
        this.thread = new Thread(this::follow, "jftrace-export");
        thread.setDaemon(true);
    }

    /**
     * Starts following the files {@code files} lists (asked again as new ones may appear).
     *
     * @param threshNanos the shortest call exported
     */
    public static ExportSession start(List<ExportTarget> targets, long threshNanos, Supplier<List<Path>> files) {
        ExportSession s = new ExportSession(targets, threshNanos, files);
        List<String> names = new ArrayList<>();
        for (ExportTarget t : targets) {
            names.add(t.text);
        }
        System.err.println("jftrace: exporting " + (threshNanos > 0 ? String.format(Locale.ROOT, "the calls of at least %,d us",
                threshNanos / 1000) : "every call (--thresh limits them)") + " as spans to " + String.join(", ", names));
        s.thread.start();
        return s;
    }

    private void follow() {
        while (!finishing) {
            try {
                boolean read = pollAll();
                if (!read) {
                    Thread.sleep(100);
                }
                while (!finishing && behind()) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean behind() {
        for (Tally t : tallies) {
            if (t.inFlight(made.get()) > StreamExport.QUEUE / 2) {
                return true;
            }
        }
        return false;
    }

    /** One look at every file; @return whether anything was read. */
    private boolean pollAll() {
        for (Path p : files.get()) {
            tails.computeIfAbsent(p, f -> {
                StreamExport s = new StreamExport(tallies, thresh, made);
                streams.add(s);
                return new DataTail(f, s);
            });
        }
        boolean read = false;
        for (Map.Entry<Path, DataTail> e : tails.entrySet()) {
            DataTail t = e.getValue();
            if (t.ended()) {
                continue;
            }
            try {
                read |= t.poll(BLOCKS_PER_POLL);
            } catch (IOException | RuntimeException ex) {
                System.err.println("jftrace: export: stops following " + e.getKey() + ": " + ex.getMessage());
                close(t);
            }
        }
        return read;
    }

    /**
     * Reads what the files still hold (the traced JVMs have stopped writing), sends the last spans
     * (while the backends take them, at most 2 minutes), and prints a line per target.
     */
    public void finish() {
        finishing = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Patience patience = new Patience();
        while (pollAll()) { // the rest of the data, at the pace the backends take it, for a while
            while (behind() && patience.waits()) {
                sleep(20);
            }
        }
        for (DataTail t : tails.values()) {
            close(t);
        }
        List<CompletableResultCode> done = new ArrayList<>();
        for (StreamExport s : streams) {
            done.add(s.shutdown());
        }
        CompletableResultCode all = CompletableResultCode.ofAll(done);
        while (!all.isDone() && patience.waits()) {
            all.join(200, TimeUnit.MILLISECONDS);
        }
        for (Tally t : tallies) {
            System.err.println("jftrace: " + (tails.isEmpty() ? String.format(Locale.ROOT, "export %s: no trace data to"
                    + " export", t.target) : t.summary(made.get())));
        }
    }

    /** Whether to go on waiting for the backends: they still take spans, and the wait is not too long. */
    private final class Patience {
        final long start = System.nanoTime();
        long lastSent = -1;
        long lastProgress = start;

        boolean waits() {
            long now = System.nanoTime();
            long sent = 0;
            boolean allRefused = true;
            for (Tally t : tallies) {
                sent += t.sent.get();
                allRefused &= t.sent.get() == 0 && t.failed.get() > 0;
            }
            if (sent != lastSent) {
                lastSent = sent;
                lastProgress = now;
            }
            return !allRefused && now - lastProgress < STALL_NANOS && now - start < FINAL_WAIT_NANOS;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(DataTail t) {
        try {
            t.close();
        } catch (IOException | RuntimeException e) {
            System.err.println("jftrace: export: " + t.path() + ": " + e.getMessage());
        }
    }

    private static Logger quietSdkLog() {
        String n = SpanExporter.class.getName(); // the SDK's root package, as this jar names it
        Logger l = Logger.getLogger(n.substring(0, n.indexOf(".sdk.")));
        l.setLevel(Level.OFF);
        return l;
    }
}
