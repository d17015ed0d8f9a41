package org.jftrace.cli;

/** Parses durations written as {@code 250}, {@code 250us}, {@code 3ms}, {@code 1s} or {@code 500ns}. */
final class Durations {

    private Durations() {
    }

    /** @return the duration in microseconds (tracing_thresh's unit). */
    static long micros(String text) {
        String t = text.trim();
        long scale;
        String num;
        if (t.endsWith("ns")) {
            num = t.substring(0, t.length() - 2);
            scale = -1000;
        } else if (t.endsWith("us")) {
            num = t.substring(0, t.length() - 2);
            scale = 1;
        } else if (t.endsWith("ms")) {
            num = t.substring(0, t.length() - 2);
            scale = 1000;
        } else if (t.endsWith("s")) {
            num = t.substring(0, t.length() - 1);
            scale = 1_000_000;
        } else {
            num = t;
            scale = 1;
        }
        long n;
        try {
            n = Long.parseLong(num.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad duration '" + text + "' (examples: 250us, 3ms, 1s)");
        }
        if (n < 0) {
            throw new IllegalArgumentException("bad duration '" + text + "': negative");
        }
        return scale < 0 ? n / -scale : Math.multiplyExact(n, scale);
    }
}
