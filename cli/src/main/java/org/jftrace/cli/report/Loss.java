package org.jftrace.cli.report;

import java.util.Locale;

/** How reports word the records that are missing. */
public final class Loss {

    private Loss() {
    }

    static String summary(long lost, long written) {
        if (lost == 0) {
            return String.format(Locale.ROOT, "no records lost (%,d written)", written);
        }
        return String.format(Locale.ROOT, "%,d of %,d records lost (%s), %,d kept", lost, written, percent(lost, written),
                written - lost);
    }

    public static String percent(long part, long of) {
        return of <= 0 ? "-" : String.format(Locale.ROOT, "%.2f%%", 100.0 * part / of);
    }
}
