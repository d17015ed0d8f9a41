package org.jftrace.ring;

/**
 * Reader-side copy of consecutive records of one {@link TraceBuffer} (see its read protocol). Records
 * {@code first .. first + count - 1} are at record index {@code offset .. offset + count - 1} of
 * {@link #words} / {@link #sides}. Not thread-safe: one per reader.
 */
final class ReadBatch {

    final int maxRecords;
    final long[] words;
    final Object[] sides;
    Ring ring;
    long first;
    int offset;
    int count;

    ReadBatch(final int maxRecords) {
        this.maxRecords = maxRecords;
        this.words = new long[maxRecords * RecordDescriptor.RECORD_WORDS];
        this.sides = new Object[maxRecords];
    }

    /** Drops side references so the batch does not keep marker texts or stacks alive. */
    void clearSides() {
        java.util.Arrays.fill(sides, null);
    }
}
