package org.jftrace.bench.peers;

import java.util.ArrayList;
import java.util.List;

/**
 * The hand-written reference tracer's storage: per thread, a ring of (timestamp, method id,
 * parent id) records, i.e. what jftrace's {@code function} tracer records per call (its clock, the
 * function and its caller), without jftrace's machinery. {@link RingAdvice} calls {@link #enter} and
 * {@link #exit}; Byte Buddy copies that advice into every traced method.
 *
 * <p>Public because the advice is inlined into classes of other packages (the workloads, Jackson).
 */
public final class Ring {

    /** Records per thread; a power of two so the index wraps with a mask. 3 longs per record. */
    private static final int RECORDS = 1 << 14;

    private static final ThreadLocal<Ring> RINGS = ThreadLocal.withInitial(Ring::new);

    /** Method names by id, id 0 meaning "no traced caller". Written by the transformer only. */
    private static final List<String> NAMES = new ArrayList<>(List.of("<none>"));

    private final long[] buf = new long[RECORDS * 3];
    private long written;
    private long current;

    private Ring() {
    }

    /** Gives {@code name} its id (called by the transformer, once per woven method). */
    static synchronized long register(String name) {
        NAMES.add(name);
        return NAMES.size() - 1;
    }

    static synchronized int registered() {
        return NAMES.size() - 1;
    }

    /** Records one call to {@code id}. @return the caller's id, to restore at exit */
    public static long enter(long id) {
        Ring r = RINGS.get();
        long parent = r.current;
        int i = (int) (r.written++ & (RECORDS - 1)) * 3;
        long[] b = r.buf;
        b[i] = System.nanoTime();
        b[i + 1] = id;
        b[i + 2] = parent;
        r.current = id;
        return parent;
    }

    /** Leaves a traced method (normally or by a throw). */
    public static void exit(long parent) {
        RINGS.get().current = parent;
    }

    /** @return how many records this thread has written */
    static long writtenByThisThread() {
        return RINGS.get().written;
    }

    /** @return the name of the last method this thread recorded, and its caller's */
    static synchronized String lastRecord() {
        Ring r = RINGS.get();
        if (r.written == 0) {
            return "nothing";
        }
        int i = (int) ((r.written - 1) & (RECORDS - 1)) * 3;
        return NAMES.get((int) r.buf[i + 1]) + " called from " + NAMES.get((int) r.buf[i + 2]);
    }
}
