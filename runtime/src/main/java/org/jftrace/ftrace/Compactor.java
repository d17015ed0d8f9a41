package org.jftrace.ftrace;

import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Shortens long site chains in the background, so that no user-visible switch has to.
 *
 * <p>Each switch adds a guard to a site's chain ({@link ChainedSite}); a chain of {@code MAX_HOPS}
 * must be relinked whole, and a whole relink is a {@code setTarget} on a site compiled code depends
 * on: one deoptimisation pass for that site (about 0.1-0.3 ms). Done in the batch, 10,000 of them are
 * a 1.5 s pause. This daemon does them instead, a few at a time under the core's lock, pausing in
 * between so that batches and the application run on.
 */
final class Compactor implements Runnable {

    private static final int CHUNK = 16;
    private static final long PAUSE_NANOS = 10_000_000;

    private static final Compactor INSTANCE = new Compactor();

    // Guarded by Ftrace.LOCK.
    private final ArrayDeque<DynFtrace> queue = new ArrayDeque<>();
    private final Set<DynFtrace> queued = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private Thread thread;
    private long relinked;

    private Compactor() {
    }

    /** Queues {@code rec} if a site of it has reached {@code COMPACT_AT}. Caller holds Ftrace.LOCK. */
    static void consider(DynFtrace rec) {
        for (EntrySite s : rec.sites) {
            if (s.hops() >= ChainedSite.COMPACT_AT) {
                INSTANCE.enqueue(rec);
                return;
            }
        }
        for (ExitSite s : rec.exitSites) {
            if (s.isLinked() && s.hops() >= ChainedSite.COMPACT_AT) {
                INSTANCE.enqueue(rec);
                return;
            }
        }
    }

    private void enqueue(DynFtrace rec) {
        if (queued.add(rec)) {
            queue.add(rec);
        }
        if (thread == null) {
            thread = new Thread(this, "jftrace-compactor");
            thread.setDaemon(true);
            thread.start();
        } else {
            LockSupport.unpark(thread);
        }
    }

    /** @return sites relinked so far, and still queued. */
    static String stats() {
        synchronized (Ftrace.LOCK) {
            return "compacted=" + INSTANCE.relinked + " compact_queue=" + INSTANCE.queue.size();
        }
    }

    @Override
    public void run() {
        JdkSites.markTracerThread(); // the tracer's own: the JDK methods it calls are not traced
        while (true) {
            boolean more;
            synchronized (Ftrace.LOCK) {
                for (int i = 0; i < CHUNK && !queue.isEmpty(); i++) {
                    DynFtrace rec = queue.poll();
                    queued.remove(rec);
                    try {
                        FtraceReplaceCode.relinkWhole(rec);
                        relinked++;
                    } catch (Throwable t) {
                        FtraceLog.warn("cannot compact the sites of " + rec.name + ": " + t);
                    }
                }
                more = !queue.isEmpty();
            }
            LockSupport.parkNanos(more ? PAUSE_NANOS : Long.MAX_VALUE);
        }
    }
}
