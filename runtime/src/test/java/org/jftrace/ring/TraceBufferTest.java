package org.jftrace.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TraceBufferTest {

    private final TraceBuffers instance = new TraceBuffers();

    private TraceBuffers small(final int kb) {
        instance.setBufferSizeKb(kb);
        return instance;
    }

    @Test
    void functionRecordRoundTrips() {
        final TraceBuffer b = instance.current();
        assertThat(b.writeFunction(100, 7, 3)).isTrue();
        final TraceRecord r = instance.snapshot(b).get(0);
        assertThat(r.type()).isEqualTo(RecordDescriptor.TYPE_FUNCTION);
        assertThat(r.timestamp()).isEqualTo(100);
        assertThat(r.ip()).isEqualTo(7);
        assertThat(r.parentIp()).isEqualTo(3);
    }

    @Test
    void graphEntryAndReturnRoundTrip() {
        final TraceBuffer b = instance.current();
        b.writeGraphEntry(10, 42, 5);
        b.writeGraphReturn(25, 42, 5, 10, Double.doubleToRawLongBits(2.5), false);
        b.writeGraphReturn(30, 43, 6, 26, 0, true);
        final List<TraceRecord> rs = instance.snapshot(b);
        assertThat(rs).hasSize(3);
        assertThat(rs.get(0).type()).isEqualTo(RecordDescriptor.TYPE_GRAPH_ENTRY);
        assertThat(rs.get(0).ip()).isEqualTo(42);
        assertThat(rs.get(0).depth()).isEqualTo(5);
        final TraceRecord ret = rs.get(1);
        assertThat(ret.type()).isEqualTo(RecordDescriptor.TYPE_GRAPH_RETURN);
        assertThat(ret.timestamp()).isEqualTo(25);
        assertThat(ret.callTime()).isEqualTo(10);
        assertThat(Double.longBitsToDouble(ret.returnValueBits())).isEqualTo(2.5);
        assertThat(ret.exceptional()).isFalse();
        assertThat(rs.get(2).exceptional()).isTrue();
        assertThat(rs.get(2).depth()).isEqualTo(6);
    }

    @Test
    void aRecordWrittenOverAnOlderOneNeverShowsTheOlderPayload() {
        final TraceBuffer b = small(1).current(); // 32 slots
        for (int i = 0; i < 32; i++) { // fill every slot with payload words that are not 0
            b.writeGraphReturn(i, 9, 1, 0x5EED_0000L + i, 0x7E7E_7E7EL, false);
        }
        b.writeFunction(100, 7, 3); // slots 0, 1, 2: written over returns, with fewer words
        b.writeGraphEntry(101, 8, 2);
        b.writeMarker(102, "m");
        final List<TraceRecord> rs = instance.snapshot(b);
        final List<TraceRecord> last = rs.subList(rs.size() - 3, rs.size());
        assertThat(last).extracting(TraceRecord::type).containsExactly(RecordDescriptor.TYPE_FUNCTION,
                RecordDescriptor.TYPE_GRAPH_ENTRY, RecordDescriptor.TYPE_MARKER);
        assertThat(last.get(0).parentIp()).isEqualTo(3);
        assertThat(last).extracting(TraceRecord::callTime).containsOnly(0L);
        assertThat(last).extracting(TraceRecord::returnValueBits).containsOnly(0L);
        assertThat(last.get(1).parentIp()).isZero();
        assertThat(last.get(2).markerText()).isEqualTo("m");
        assertThat(rs.get(rs.size() - 4).callTime()).isEqualTo(0x5EED_0000L + 31); // an older return is intact
    }

    @Test
    void markerTextAndStackFramesRoundTripThroughTheSideTable() {
        final TraceBuffer b = instance.current();
        final StackTraceElement[] frames = new Throwable().getStackTrace();
        b.writeMarker(1, "hello marker");
        b.writeStack(2, 9, frames);
        final List<TraceRecord> rs = instance.snapshot(b);
        assertThat(rs.get(0).type()).isEqualTo(RecordDescriptor.TYPE_MARKER);
        assertThat(rs.get(0).markerText()).isEqualTo("hello marker");
        assertThat(rs.get(1).type()).isEqualTo(RecordDescriptor.TYPE_STACK);
        assertThat(rs.get(1).stack()).isSameAs(frames);
        assertThat(rs.get(1).ip()).isEqualTo(9);
        assertThat(rs.get(1).depth()).isEqualTo(frames.length);
    }

    @Test
    void recordsCarryTheWritingThreadsIdentity() {
        final TraceBuffer b = instance.current();
        b.writeFunction(1, 1, 0);
        final TraceRecord r = instance.snapshot(b).get(0);
        assertThat(r.threadId()).isEqualTo(Thread.currentThread().getId());
        assertThat(r.threadName()).isEqualTo(Thread.currentThread().getName());
        assertThat(r.isVirtualThread()).isFalse();
        assertThat(b.identity().threadId()).isEqualTo(Thread.currentThread().getId());
    }

    @Test
    void currentReturnsTheSameBufferToTheSameThread() {
        assertThat(instance.current()).isSameAs(instance.current());
    }

    @Test
    void overwriteModeKeepsTheNewestAndCountsOverruns() {
        final TraceBuffer b = small(1).current(); // 32 slots: 31 readable
        assertThat(b.capacity()).isEqualTo(31);
        for (int i = 0; i < 100; i++) {
            assertThat(b.writeFunction(i, i, 0)).isTrue();
        }
        final List<TraceRecord> rs = instance.snapshot(b);
        assertThat(rs).extracting(TraceRecord::ip).containsExactlyElementsOf(range(69, 100));
        assertThat(b.entriesInBuffer()).isEqualTo(31);
        assertThat(b.entriesWritten()).isEqualTo(100);
        assertThat(b.overrun()).isEqualTo(69);
        assertThat(b.lost()).isZero();
    }

    @Test
    void nonOverwriteModeKeepsTheOldestAndCountsLost() {
        small(1).setOverwrite(false);
        final TraceBuffer b = instance.current();
        int stored = 0;
        for (int i = 0; i < 100; i++) {
            if (b.writeFunction(i, i, 0)) {
                stored++;
            }
        }
        assertThat(stored).isEqualTo(31);
        assertThat(instance.snapshot(b)).extracting(TraceRecord::ip).containsExactlyElementsOf(range(0, 31));
        assertThat(b.lost()).isEqualTo(69);
        assertThat(b.entriesWritten()).isEqualTo(31);
        assertThat(b.overrun()).isZero();
    }

    @Test
    void nonOverwriteModeAcceptsAgainOnceTheConsumerFreesRoom() throws Exception {
        small(1).setOverwrite(false);
        final TraceBuffer b = instance.current();
        for (int i = 0; i < 40; i++) {
            b.writeFunction(i, i, 0);
        }
        final TracePipe pipe = instance.pipe();
        final TraceRecord r = new TraceRecord();
        for (int i = 0; i < 10; i++) {
            assertThat(pipe.poll(r, 0, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(r.ip()).isEqualTo(i);
        }
        assertThat(b.writeFunction(99, 99, 0)).isTrue();
        assertThat(instance.snapshot(b)).extracting(TraceRecord::ip).endsWith(99).startsWith(10);
    }

    @Test
    void switchingOverwriteOnAtRunTimeStopsDropping() {
        small(1).setOverwrite(false);
        final TraceBuffer b = instance.current();
        for (int i = 0; i < 40; i++) {
            b.writeFunction(i, i, 0);
        }
        instance.setOverwrite(true);
        assertThat(b.writeFunction(40, 40, 0)).isTrue();
        assertThat(instance.snapshot(b)).extracting(TraceRecord::ip).endsWith(40);
    }

    @Test
    void snapshotDoesNotConsume() {
        final TraceBuffer b = instance.current();
        for (int i = 0; i < 5; i++) {
            b.writeFunction(i, i, 0);
        }
        assertThat(instance.snapshot()).hasSize(5);
        assertThat(instance.snapshot()).hasSize(5);
        assertThat(b.entriesInBuffer()).isEqualTo(5);
    }

    @Test
    void resetEmptiesRestartsCountersAndAppliesTheNewSizeAtTheNextWrite() {
        final TraceBuffer b = small(1).current();
        for (int i = 0; i < 50; i++) {
            b.writeFunction(i, i, 0);
        }
        instance.setBufferSizeKb(2);
        assertThat(b.capacity()).isEqualTo(31); // not before the reset
        instance.reset();
        assertThat(b.entriesInBuffer()).isZero();
        assertThat(b.entriesWritten()).isZero();
        assertThat(b.overrun()).isZero();
        assertThat(instance.snapshot(b)).isEmpty();
        b.writeFunction(100, 100, 0);
        assertThat(b.capacity()).isEqualTo(63);
        assertThat(instance.snapshot(b)).extracting(TraceRecord::ip).containsExactly(100);
        assertThat(b.entriesWritten()).isEqualTo(1);
    }

    private static List<Integer> range(final int from, final int to) {
        return java.util.stream.IntStream.range(from, to).boxed().collect(java.util.stream.Collectors.toList());
    }
}
