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
        if (of <= 0) {
            return "-";
        }
        double p = 100.0 * part / of;
        return p > 0 && p < 0.01 ? "<0.01%" : String.format(Locale.ROOT, "%.2f%%", p); // a loss never rounds to nothing
    }
}
