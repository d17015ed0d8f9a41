package org.jftrace.ring;

/**
 * The storage of one {@link TraceBuffer}: the record slots and the parallel side table, plus the
 * position of the first record stored in them. Replaced as a whole (never mutated in place) when a
 * reset applies a new buffer_size_kb, so a reader that holds one sees a consistent
 * data/side/mask/capacity/base.
 */
final class Ring {

    /** Record words, {@link RecordDescriptor#RECORD_WORDS} per slot. */
    final long[] data;
    /** Side table: slot i holds the MARKER text / STACK frames of the record in slot i. */
    final Object[] side;
    /** slots - 1: position to slot index. */
    final int mask;
    /**
     * Records readable at most: slots - 1. One slot is always the writer's: the record at position
     * {@code head} may be half-written over position {@code head - slots}.
     */
    final long capacity;
    /**
     * Position of the first record written into this ring. Set by the owner just before it publishes
     * the ring with a release store, read by readers only after an acquire load of the ring.
     */
    long base;
    /** The slots this ring's buffer grows to (buffer_size_kb); this ring's own size when not set. */
    int growTo;

    Ring(final int slots) {
        if (Integer.bitCount(slots) != 1 || slots < 2) {
            throw new IllegalArgumentException("slots must be a power of two >= 2: slots=" + slots);
        }
        this.data = new long[slots << RecordDescriptor.RECORD_WORDS_SHIFT];
        this.side = new Object[slots];
        this.mask = slots - 1;
        this.capacity = slots - 1L;
        this.growTo = slots;
    }

    /** @return slots in this ring. */
    int slots() {
        return mask + 1;
    }

    /** @return approximate bytes held by the arrays (side table counted at 4 bytes per reference). */
    long bytes() {
        return 16L + (long) data.length * Long.BYTES + 16L + (long) side.length * 4L;
    }
}
