package org.jftrace.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What buffers cost: they grow with their thread's writes, and ended threads' records have a budget. */
class BufferMemoryTest {

    private final TraceBuffers instance = new TraceBuffers();

    @Test
    void aBufferStartsSmallAndGrowsToBufferSizeKbKeepingEveryRecordInOrder() {
        final TraceBuffer b = instance.current();
        b.writeFunction(1, 1, 0);
        final long small = b.memoryBytes();
        assertThat(small).isLessThan(32 * 1024);
        for (int i = 2; i <= 20_000; i++) {
            b.writeFunction(i, 1, i);
        }
        final List<TraceRecord> rs = instance.snapshot(b);
        assertThat(rs).hasSize(20_000);
        for (int i = 0; i < rs.size(); i++) {
            assertThat(rs.get(i).timestamp()).isEqualTo(i + 1);
        }
        assertThat(b.memoryBytes()).isGreaterThan(20_000L * RecordDescriptor.RECORD_BYTES)
            .isLessThan(2L * 32_768 * RecordDescriptor.RECORD_BYTES);
        assertThat(instance.overrun()).isZero();
    }

    @Test
    void aGrownBufferStillOverwritesItsOldestOnceAtBufferSizeKb() {
        instance.setBufferSizeKb(64); // 2048 slots
        final TraceBuffer b = instance.current();
        for (int i = 0; i < 10_000; i++) {
            b.writeFunction(i, 1, i);
        }
        final List<TraceRecord> rs = instance.snapshot(b);
        assertThat(rs).hasSize(2047);
        assertThat(rs.get(rs.size() - 1).timestamp()).isEqualTo(9_999);
        assertThat(instance.overrun() + instance.entriesInBuffer()).isEqualTo(instance.entriesWritten());
    }

    @Test
    void endedThreadsBeyondTheBudgetAreDroppedOldestFirstAndCountedAsLost() throws Exception {
        instance.setOverwrite(false); // nothing is superseded: only the budget releases buffers
        instance.setEndedBudgetKb(1024);
        final int threads = 200;
        final int perThread = 1500; // ~64 KB of ring each once grown
        for (int t = 0; t < threads; t++) {
            final int id = t;
            final Thread th = new Thread(() -> {
                final TraceBuffer b = instance.current();
                for (int i = 0; i < perThread; i++) {
                    b.writeFunction(id * 10_000L + i, id, i);
                }
            });
            th.start();
            th.join();
        }
        instance.retireEnded();
        final long endedBytes = instance.memoryBytes();
        assertThat(endedBytes).isLessThanOrEqualTo(1024 * 1024);
        assertThat(instance.entriesWritten()).isEqualTo((long) threads * perThread);
        assertThat(instance.entriesInBuffer() + instance.lost()).isEqualTo(instance.entriesWritten());
        assertThat(instance.lost()).isPositive();
        // the newest threads are the ones kept
        final List<TraceRecord> kept = instance.snapshot();
        assertThat(kept.get(kept.size() - 1).ip()).isEqualTo(threads - 1);
        assertThat(kept.get(0).ip()).isGreaterThan(threads / 2);
    }

    @Test
    void endedThreadsOlderThanEveryWrappedLiveBufferAreReleasedAsOverrun() throws Exception {
        instance.setBufferSizeKb(16); // 512 slots
        final List<Thread> ended = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            final Thread th = new Thread(() -> instance.current().writeFunction(5, 9, 0));
            th.start();
            th.join();
            ended.add(th);
        }
        final TraceBuffer live = instance.current();
        for (int i = 0; i < 2_000; i++) {
            live.writeFunction(100 + i, 1, i);
        }
        instance.retireEnded();
        assertThat(instance.buffers()).containsExactly(live);
        assertThat(instance.lost()).isZero();
        assertThat(instance.overrun() + instance.entriesInBuffer()).isEqualTo(instance.entriesWritten());
    }

    @Test
    void aWriterThatDroppedRecordsMarksTheGapWithALostRecord() {
        instance.setOverwrite(false);
        instance.setBufferSizeKb(1); // 32 slots
        final TraceBuffer b = instance.current();
        for (int i = 0; i < 40; i++) {
            b.writeFunction(i, 1, i);
        }
        assertThat(instance.lost()).isEqualTo(9);
        final TracePipe pipe = instance.pipe();
        final List<TraceRecord> got = new ArrayList<>();
        pipe.drain(r -> got.add(r.copy()), 100);
        b.writeFunction(100, 1, 100);
        pipe.drain(r -> got.add(r.copy()), 100);
        assertThat(got).hasSize(33);
        final TraceRecord lost = got.get(31);
        assertThat(lost.type()).isEqualTo(RecordDescriptor.TYPE_LOST);
        assertThat(lost.lostCount()).isEqualTo(9);
        assertThat(lost.timestamp()).isEqualTo(100);
        assertThat(got.get(32).timestamp()).isEqualTo(100);
    }
}
