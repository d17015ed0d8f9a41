package org.jftrace.cli.report;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;

/**
 * A progress bar on stderr for a long conversion: drawn only at a terminal, and only once the work
 * has taken 2 s, so quick reports and redirected runs print nothing.
 */
public final class Progress {

    private static final long DELAY_NANOS = 2_000_000_000L;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream err;
    private final long start = System.nanoTime();
    private String label = "";
    private long total = 1;
    private long done;
    private long nextCheck;
    private long lastDraw;
    private boolean drawn;

    private Progress(PrintStream err) {
        this.err = err;
    }

    /** A bar when stderr is a terminal; null otherwise. */
    public static Progress atTerminal() {
        Console c = System.console();
        return c != null && isTerminal(c) ? new Progress(System.err) : null;
    }

    /** Since JDK 22 System.console() is there even when redirected: ask it (by reflection: built with --release 17). */
    private static boolean isTerminal(Console c) {
        try {
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // before JDK 22 a console means a terminal
        }
    }

    /** Starts a phase of {@code total} units. */
    public void phase(String label, long total) {
        this.label = label;
        this.total = Math.max(1, total);
        this.done = 0;
        this.nextCheck = 0;
        draw(System.nanoTime());
    }

    public void add(long units) {
        at(done + units);
    }

    public void at(long units) {
        done = units;
        if (done < nextCheck) {
            return;
        }
        nextCheck = done + Math.max(1, total / 1000);
        draw(System.nanoTime());
    }

    private void draw(long now) {
        if (now - start < DELAY_NANOS || (drawn && now - lastDraw < REDRAW_NANOS)) {
            return;
        }
        lastDraw = now;
        drawn = true;
        int pct = (int) Math.min(100, done * 100 / total);
        StringBuilder bar = new StringBuilder("\rjftrace report: ").append(label).append(" [");
        for (int i = 0; i < 30; i++) {
            bar.append(i < pct * 30 / 100 ? '#' : '.');
        }
        bar.append("] ").append(pct).append("%   ");
        err.print(bar);
        err.flush();
    }

    /** Ends the bar's line, if one was drawn. */
    public void finish() {
        if (drawn) {
            done = total;
            lastDraw = 0;
            draw(System.nanoTime());
            err.println();
        }
    }
}
