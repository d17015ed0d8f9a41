package org.jftrace.trace;

import java.util.Arrays;

/**
 * The ids of this JVM's live platform threads, for checking the ids written to {@code set_ftrace_pid}:
 * an id that names no thread would silently trace nothing.
 *
 * <p>Walks the thread groups rather than asking {@code ThreadMXBean} or
 * {@code Thread.getAllStackTraces()}: no dependency on java.management and no safepoint to collect
 * stacks nobody reads. Virtual threads are not in any group's listing (the JDK offers no public way
 * to enumerate them), so their ids cannot be checked and are refused; name globs select them.
 */
final class LiveThreads {

    private LiveThreads() {
    }

    /** @return the sorted ids ({@link Thread#getId()}, as {@code PidFilter} matches) of live platform threads. */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+, and we run on 17
    static long[] ids() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n;
        // enumerate stops at the array's end: grow until the listing fits with room to spare
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = threads[i].getId();
        }
        Arrays.sort(ids);
        return ids;
    }
}
