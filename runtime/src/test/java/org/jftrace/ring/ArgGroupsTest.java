package org.jftrace.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ARGS groups in the ring: written and read whole, joined to their owners, dropped when orphaned. */
class ArgGroupsTest {

    private final TraceBuffers instance = new TraceBuffers();

    /** Value words of 2 slots: a head and 3 more words. */
    private static long[] words(long v) {
        return new long[] {3, v, v + 1, v + 2};
    }

    @Test
    void aReadBatchNeverEndsInsideAGroup() {
        final TraceBuffer b = instance.current();
        for (int i = 1; i <= 10; i++) {
            b.writeFunctionArgs(i, i, 0, words(i * 10), 4);
        }
        final ReadBatch batch = new ReadBatch(4); // a group is 3 slots: 4 holds one and part of the next
        long from = 0;
        final List<TraceRecord> all = new ArrayList<>();
        while (true) {
            b.read(from, batch);
            if (batch.count == 0) {
                break;
            }
            assertThat(batch.count % 3).as("batch of " + batch.count + " from " + from).isZero();
            for (int i = 0; i < batch.count; i++) {
                final TraceRecord r = new TraceRecord();
                r.set(b.id, batch.first + i, ThreadIdentity.UNKNOWN, batch.words, batch.offset + i, null);
                all.add(r);
            }
            from = batch.first + batch.count;
        }
        final List<TraceRecord> joined = ArgGroups.join(all);
        assertThat(joined).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(joined.get(i).ip()).isEqualTo(i + 1);
            assertThat(joined.get(i).argWords()).containsExactly(3, (i + 1) * 10, (i + 1) * 10 + 1, (i + 1) * 10 + 2);
        }
    }

    @Test
    void argsRecordsWhoseOwnerWasOverwrittenAreDropped() {
        final TraceBuffer b = instance.current();
        b.writeFunctionArgs(1, 1, 0, words(10), 4);
        b.writeFunction(2, 2, 0);
        final List<TraceRecord> all = new ArrayList<>(instance.snapshot(b));
        all.remove(0); // as if the owner had been overwritten
        final List<TraceRecord> joined = ArgGroups.join(all);
        assertThat(joined).extracting(TraceRecord::ip).containsExactly(2);
        assertThat(joined.get(0).argWords()).isNull();
    }

    @Test
    void aPlainRecordIsUnchangedAndAGroupTooLargeForATinyBufferKeepsItsCall() {
        final TraceBuffers tiny = new TraceBuffers();
        tiny.setBufferSizeKb(1); // 32 slots: a group may take at most 16
        final TraceBuffer b = tiny.current();
        b.writeFunctionArgs(1, 1, 0, new long[64], 64); // 32 ARGS slots
        b.writeFunction(2, 2, 0);
        final List<TraceRecord> records = tiny.snapshot(b);
        assertThat(records).extracting(TraceRecord::ip).containsExactly(1, 2);
        assertThat(records.get(0).hasArgs()).isFalse();
    }
}
