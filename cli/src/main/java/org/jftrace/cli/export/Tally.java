package org.jftrace.cli.export;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/** What became of the spans sent to one target, over all the traced JVMs: the line printed at the end. */
final class Tally {

    final ExportTarget target;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    volatile String lastError;

    Tally(ExportTarget target) {
        this.target = target;
    }

    /** Spans handed to the SDK but neither sent nor refused yet. */
    long inFlight(long made) {
        return made - sent.get() - failed.get();
    }

    /** One line: every span sent, or how many were not and why. */
    String summary(long made) {
        long s = sent.get();
        long f = failed.get();
        long dropped = Math.max(0, made - s - f);
        if (s == made) {
            return String.format(Locale.ROOT, "export %s: %,d spans sent", target, s);
        }
        return String.format(Locale.ROOT, "export %s: %,d of %,d spans sent; %,d failed, %,d dropped%s", target, s, made, f,
                dropped, lastError == null ? "" : " (" + lastError + ")");
    }
}
