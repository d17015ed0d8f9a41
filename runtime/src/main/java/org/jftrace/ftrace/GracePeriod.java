package org.jftrace.ftrace;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The grace period of an unregister: {@code synchronize_rcu_tasks} for the trampoline. Each thread's
 * {@link ThreadCtx} marks itself inside the trampoline with plain-cost stores (its counter is odd
 * while inside); this side makes a change visible to every thread, then waits until each thread that
 * was inside has left once. After that no thread can still run a callback of an ops the change
 * removed, and {@link #forget} can drop the ops from every thread's context.
 */
final class GracePeriod {

    // Every context, weakly held. A dead thread's context is collected with it.
    private static final Set<CtxRef> ALL = ConcurrentHashMap.newKeySet();
    private static final ReferenceQueue<ThreadCtx> DEAD = new ReferenceQueue<>();

    private GracePeriod() {
    }

    /** Adds a new thread's context to those a grace period waits for. */
    static void add(ThreadCtx ctx) {
        expunge();
        ALL.add(new CtxRef(ctx, DEAD));
    }

    private static void expunge() {
        for (Object r; (r = DEAD.poll()) != null; ) {
            ALL.remove(r);
        }
    }

    /**
     * Returns once every thread has either seen the changes made before the call or left the
     * trampoline it was in. The trampoline marks itself inside with no fence; a global safepoint
     * (here, a thread dump) serialises every thread, after which each is either visibly inside (and
     * we wait for it) or will see the new state.
     */
    static void synchronize() {
        Thread.getAllStackTraces();
        awaitTrampolineExits();
    }

    /**
     * Waits until every thread that is inside the trampoline now has left it once. The caller must
     * first have made its change visible to all threads (see {@link #synchronize}).
     */
    static void awaitTrampolineExits() {
        expunge();
        List<ThreadCtx> inside = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        Thread self = Thread.currentThread();
        for (CtxRef r : ALL) {
            ThreadCtx c = r.get();
            // A callback may unregister its own ops; the tracer's own threads are inside for good, and
            // run no callback (every activation they make is nested, and JDK functions skip them).
            if (c != null && !c.ownedBy(self)) {
                // The counter first, then the mark: a thread marking itself now (markTracer sets the
                // mark before its counter turns odd) is seen as the tracer's, not waited for forever.
                long s = c.seqVolatile();
                if ((s & 1) != 0 && !c.isTracer()) {
                    inside.add(c);
                    seqs.add(s);
                }
            }
        }
        for (int i = 0; i < inside.size(); i++) {
            ThreadCtx c = inside.get(i);
            long s = seqs.get(i);
            for (int spins = 0; c.seqVolatile() == s && !c.isTracer() && ThreadCtx.isAlive(c.thread()); spins++) {
                if (spins < 100) {
                    Thread.onSpinWait();
                } else {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /**
     * Drops {@code op} from every thread's context ({@link ThreadCtx#forget}). Called after op's grace
     * period, under Ftrace's lock, before its slot is freed.
     */
    static void forget(FtraceOps op) {
        expunge();
        for (CtxRef r : ALL) {
            ThreadCtx c = r.get();
            if (c != null) {
                c.forget(op);
            }
        }
    }

    private static final class CtxRef extends WeakReference<ThreadCtx> {
        CtxRef(ThreadCtx ctx, ReferenceQueue<ThreadCtx> q) {
            super(ctx, q);
        }
    }
}
