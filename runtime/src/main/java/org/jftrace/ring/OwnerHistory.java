package org.jftrace.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Which thread wrote which records of a {@link TraceBuffer}: a bounded ring of segments, each the
 * identity of an owner and the position of its first record.
 *
 * <p>A platform thread's buffer has exactly one segment. A pooled buffer lent to virtual threads gets
 * one segment per lease, appended by the new owner before its first record (the counterpart of the
 * kernel's sched_switch event in a per-CPU buffer). Records carry no thread id, so a record whose
 * segment has been evicted from this ring reads as {@link ThreadIdentity#UNKNOWN}, as the kernel prints
 * {@code <...>} when saved_cmdlines has lost a pid.
 *
 * <p>Single writer (the buffer's current owner, or the constructor). Segments are immutable objects, so
 * a reader that races with an append sees either the old or the new segment in a slot, both valid;
 * eviction is FIFO, so the newest segment starting at or before a position is the right one as long as
 * it is still present.
 */
final class OwnerHistory {

    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(OwnerHistory.class, "count", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One owner's records start at {@code start}. */
    static final class Segment {
        final long start;
        final ThreadIdentity identity;

        Segment(final long start, final ThreadIdentity identity) {
            this.start = start;
            this.identity = identity;
        }
    }

    private static final Segment[] EMPTY = new Segment[0];

    private final Segment[] segments;
    private final int mask;
    @SuppressWarnings("unused") // accessed through COUNT
    private long count;

    /** @param size number of segments kept, a power of two. */
    OwnerHistory(final int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two: size=" + size);
        }
        this.segments = new Segment[size];
        this.mask = size - 1;
    }

    /**
     * Appends a segment. Owner only.
     *
     * @param start    position of the owner's first record
     * @param identity the owner
     */
    void append(final long start, final ThreadIdentity identity) {
        final long n = (long) COUNT.get(this);
        segments[(int) n & mask] = new Segment(start, identity);
        // release: the segment is visible to a reader that sees the count covering it
        COUNT.setRelease(this, n + 1);
    }

    /** @return the retained segments sorted by start; any thread. */
    Segment[] snapshot() {
        final long n = (long) COUNT.getAcquire(this);
        if (n == 0) {
            return EMPTY;
        }
        final int size = (int) Math.min(n, segments.length);
        final Segment[] copy = new Segment[size];
        int k = 0;
        for (int i = 0; i < size; i++) {
            final Segment s = segments[(int) (n - 1 - i) & mask];
            if (s != null) {
                copy[k++] = s;
            }
        }
        final Segment[] sorted = Arrays.copyOf(copy, k);
        Arrays.sort(sorted, (a, b) -> Long.compare(a.start, b.start));
        return sorted;
    }

    /**
     * @param sorted   a {@link #snapshot()}
     * @param position a record position
     * @return the identity of the owner that wrote the record at position, or UNKNOWN
     */
    static ThreadIdentity ownerAt(final Segment[] sorted, final long position) {
        int lo = 0;
        int hi = sorted.length - 1;
        ThreadIdentity found = ThreadIdentity.UNKNOWN;
        while (lo <= hi) {
            final int mid = (lo + hi) >>> 1;
            if (sorted[mid].start <= position) {
                found = sorted[mid].identity;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** @return approximate bytes held (the array; segments are small and bounded by it). */
    long bytes() {
        return 16L + segments.length * (4L + 32L);
    }
}
