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
 * </ul>
 */
public abstract class TraceClock {

    /** {@code mono}: System.nanoTime(). */
    public static final TraceClock MONO = new Mono();

    /** {@code counter}: a global atomic counter, for deterministic tests. */
    public static final TraceClock COUNTER = new Counter();

    private final String name;

    private TraceClock(final String name) {
        this.name = name;
    }

    /** @return the current time in this clock's unit (nanoseconds, or a count). */
    public abstract long now();

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
        if (MONO.name.equals(name)) {
            return MONO;
        }
        if (COUNTER.name.equals(name)) {
            return COUNTER;
        }
        throw new IllegalArgumentException("unknown trace_clock (expected mono or counter): trace_clock=" + name);
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
}
