package org.jftrace.ftrace;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The threads an ops with {@link FtraceOps#FL_PID} traces: the JVM's {@code set_ftrace_pid}.
 *
 * <p>A thread matches if its id is listed or its name matches one of the name patterns. Immutable:
 * changing the threads means swapping in a new filter, and each thread re-evaluates its match the first
 * time it sees a filter (the result is cached per thread, so the hot path does one reference compare).
 */
public final class PidFilter {

    private final long[] ids;
    private final Predicate<String> names;
    private final String text;

    /**
     * @param ids   thread ids ({@link Thread#getId()}), any order
     * @param names thread-name matcher, or null for none
     * @param text  how the filter reads back in set_ftrace_pid
     */
    public PidFilter(long[] ids, Predicate<String> names, String text) {
        this.ids = ids.clone();
        Arrays.sort(this.ids);
        this.names = names;
        this.text = text;
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+, and we run on 17
    boolean matches(Thread t) {
        if (Arrays.binarySearch(ids, t.getId()) >= 0) {
            return true;
        }
        return names != null && names.test(t.getName());
    }

    @Override
    public String toString() {
        return text;
    }
}
