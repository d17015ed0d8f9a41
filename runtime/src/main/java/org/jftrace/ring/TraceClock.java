package org.jftrace.ring;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A source of record timestamps: the JVM's {@code trace_clock}. Selected per {@link TraceBuffers}
 * instance at run time; the caller reads the clock and passes the value to the typed write methods, so
 * the ring itself never calls a clock.
 *
 * <ul>
 *   <li>{@link #MONO} ({@code mono}): {@link System#nanoTime()}, monotonic and comparable across threads.
 *       The default. Costs ~26 ns per read on the reference machine, most of a traced call's cost.</li>
 *   <li>{@link #COUNTER} ({@code counter}): like the kernel's {@code counter} clock, "not a clock at all"
 *       but one global {@link AtomicLong} incremented per read. Totally orders all records of all
 *       threads, so golden tests are deterministic; it is a shared contended counter and is meant for
 *       tests, never for timing.</li>
 *   <li>{@link #LOCAL_COUNTER} ({@code local_counter}): a count per writing thread (per buffer), with no
 *       shared state, so it costs a plain increment where {@code counter} costs a contended atomic. Like
 *       the kernel's {@code local} clock it orders the records of one writer only: merged output shows
 *       each thread's records in order, and the threads interleaved arbitrarily.</li>
 * </ul>
 *
 * <p>Writers call {@link #now(TraceBuffer)} with the buffer the record goes to; {@link #now()} is for
 * callers without one (it reads {@code local_counter} as the global counter).
 */
public abstract class TraceClock {

    /** {@code mono}: System.nanoTime(). */
    public static final TraceClock MONO = new Mono();

    /** {@code counter}: a global atomic counter, for deterministic tests. */
    public static final TraceClock COUNTER = new Counter();

    /** {@code local_counter}: a plain count per buffer (writer thread). */
    public static final TraceClock LOCAL_COUNTER = new LocalCounter();

    /** Every clock, in the order {@code trace_clock} lists them. */
    private static final TraceClock[] ALL = {MONO, COUNTER, LOCAL_COUNTER};

    private final String name;

    private TraceClock(final String name) {
        this.name = name;
    }

    /** @return the current time in this clock's unit (nanoseconds, or a count). */
    public abstract long now();

    /**
     * @param buffer the buffer the caller's record goes to (the caller's own): owner thread only
     * @return the current time for a record of that buffer
     */
    public long now(final TraceBuffer buffer) {
        return now();
    }

    /** @return true if timestamps are counts, not nanoseconds (printed raw, never as seconds). */
    public boolean isCounter() {
        return this != MONO;
    }

    /** @return the trace_clock file's text: every clock, the one in force in brackets (no newline). */
    public static String listing(final TraceClock current) {
        final StringBuilder sb = new StringBuilder();
        for (TraceClock c : ALL) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(c == current ? "[" + c.name + "]" : c.name);
        }
        return sb.toString();
    }

    /** @return the clock's name as written to {@code trace_clock}. */
    public final String name() {
        return name;
    }

    /**
     * Looks a clock up by name.
     *
     * @param name {@code mono} or {@code counter}
     * @return the clock
     * @throws IllegalArgumentException for other names
     */
    public static TraceClock byName(final String name) {
        for (TraceClock c : ALL) {
            if (c.name.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown trace_clock (expected mono, counter or local_counter): trace_clock=" + name);
    }

    @Override
    public final String toString() {
        return name;
    }

    private static final class Mono extends TraceClock {
        Mono() {
            super("mono");
        }

        @Override
        public long now() {
            return System.nanoTime();
        }
    }

    private static final class Counter extends TraceClock {
        private final AtomicLong next = new AtomicLong();

        Counter() {
            super("counter");
        }

        @Override
        public long now() {
            return next.incrementAndGet();
        }
    }

    private static final class LocalCounter extends TraceClock {
        LocalCounter() {
            super("local_counter");
        }

        @Override
        public long now() {
            return COUNTER.now();
        }

        @Override
        public long now(final TraceBuffer buffer) {
            return ++buffer.ticks; // owner-only field: a plain increment
        }
    }
}
