package org.jftrace.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TraceBuffersConcurrencyTest {

    private final TraceBuffers instance = new TraceBuffers();

    @Test
    void snapshotMergesAllThreadsInTimestampOrder() throws Exception {
        instance.setClock(TraceClock.COUNTER);
        final int threads = 3;
        final int perThread = 1000;
        final List<Thread> ts = new ArrayList<>();
        final CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            final int id = t;
            final Thread th = new Thread(() -> {
                final TraceBuffer b = instance.current();
                await(start);
                for (int i = 0; i < perThread; i++) {
                    b.writeFunction(instance.clock().now(), id, i);
                }
            }, "writer-" + t);
            ts.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : ts) {
            th.join();
        }
        final List<TraceRecord> all = instance.snapshot();
        assertThat(all).hasSize(threads * perThread);
        assertThat(all).extracting(TraceRecord::timestamp).isSorted();
        assertThat(all).extracting(TraceRecord::bufferId).containsAll(List.of(0, 1, 2));
        // each thread's records carry its identity and keep their write order within the merge
        for (int t = 0; t < threads; t++) {
            final String name = "writer-" + t;
            final int id = t;
            assertThat(all).filteredOn(r -> r.threadName().equals(name)).extracting(TraceRecord::ip)
                .containsOnly(id);
            assertThat(all).filteredOn(r -> r.threadName().equals(name)).extracting(TraceRecord::parentIp)
                .isSorted().hasSize(perThread);
        }
    }

    @Test
    @Timeout(120)
    void pipeUnderConcurrentWritersWithOverwriteOffLosesAndDuplicatesNothing() throws Exception {
        instance.setOverwrite(false);
        instance.setBufferSizeKb(16); // 511 records: writers hit "full" often and must retry
        final int writers = 4;
        final int perWriter = 200_000;
        final AtomicLong rejected = new AtomicLong();
        final List<Thread> ts = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            final int id = w;
            final Thread th = new Thread(() -> {
                final TraceBuffer b = instance.current();
                long refused = 0;
                for (int seq = 0; seq < perWriter; seq++) {
                    while (!b.writeFunction(System.nanoTime(), id, seq)) {
                        refused++;
                        Thread.onSpinWait();
                    }
                }
                rejected.addAndGet(refused);
            }, "pipe-writer-" + w);
            ts.add(th);
        }
        ts.forEach(Thread::start);

        final int[] next = new int[writers];
        final TracePipe pipe = instance.pipe();
        final TraceRecord r = new TraceRecord();
        int received = 0;
        long lostMarked = 0;
        while (received < writers * perWriter) {
            if (!pipe.poll(r, 10, TimeUnit.SECONDS)) {
                break;
            }
            if (r.type() == RecordDescriptor.TYPE_LOST) { // the writers' refusals, marked where they happened
                lostMarked += r.lostCount();
                continue;
            }
            final int w = r.ip();
            assertThat(r.parentIp()).as("writer %d sequence", w).isEqualTo(next[w]);
            next[w]++;
            received++;
        }
        for (Thread th : ts) {
            th.join();
        }
        assertThat(received).isEqualTo(writers * perWriter);
        assertThat(pipe.poll(r, 50, TimeUnit.MILLISECONDS)).as("nothing duplicated").isFalse();
        assertThat(instance.lost()).isEqualTo(rejected.get());
        assertThat(lostMarked).isPositive().isLessThanOrEqualTo(rejected.get());
        assertThat(instance.overrun()).isZero();
        assertThat(instance.entriesInBuffer()).isZero();
    }

    @Test
    @Timeout(60)
    void snapshotNeverReturnsATornRecordWhileTheWriterOverwrites() throws Exception {
        instance.setBufferSizeKb(1); // 32 slots: the writer laps the reader constantly
        final AtomicReference<TraceBuffer> buffer = new AtomicReference<>();
        final CountDownLatch ready = new CountDownLatch(1);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        final Thread writer = new Thread(() -> {
            final TraceBuffer b = instance.current();
            buffer.set(b);
            ready.countDown();
            for (long seq = 0; System.nanoTime() < deadline || seq < 1_000_000; seq++) {
                // every word derived from seq: a mix of two records is detectable
                b.writeGraphReturn(seq, (int) seq, (int) (seq & 0xFFFF), seq * 3, ~seq, false);
            }
        });
        writer.start();
        ready.await();
        long snapshots = 0;
        long records = 0;
        while (writer.isAlive()) {
            final List<TraceRecord> rs = instance.snapshot(buffer.get());
            long prev = -1;
            for (TraceRecord r : rs) {
                final long seq = r.timestamp();
                assertThat(r.ip()).isEqualTo((int) seq);
                assertThat(r.depth()).isEqualTo((int) (seq & 0xFFFF));
                assertThat(r.callTime()).isEqualTo(seq * 3);
                assertThat(r.returnValueBits()).isEqualTo(~seq);
                assertThat(r.position()).isEqualTo(seq);
                if (prev >= 0) {
                    assertThat(seq).isEqualTo(prev + 1);
                }
                prev = seq;
            }
            assertThat(rs.size()).isLessThanOrEqualTo(31);
            snapshots++;
            records += rs.size();
        }
        writer.join();
        assertThat(snapshots).isPositive();
        assertThat(records).isPositive();
    }

    @Test
    @Timeout(30)
    void pollWaitsForDataAndTimesOutWithoutIt() throws Exception {
        final TracePipe pipe = instance.pipe();
        final TraceRecord r = new TraceRecord();
        final long t0 = System.nanoTime();
        assertThat(pipe.poll(r, 100, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));

        final Thread late = new Thread(() -> {
            sleep(200);
            instance.current().writeMarker(1, "late");
        });
        late.start();
        assertThat(pipe.poll(r, 10, TimeUnit.SECONDS)).isTrue();
        assertThat(r.markerText()).isEqualTo("late");
        late.join();
    }

    @Test
    void pipeReturnsRecordsOfAllBuffersInTimestampOrder() throws Exception {
        instance.setClock(TraceClock.COUNTER);
        final Thread a = new Thread(() -> {
            final TraceBuffer b = instance.current();
            for (int i = 0; i < 3; i++) {
                b.writeFunction(10 + 2 * i, 1, i); // 10, 12, 14
            }
        });
        final Thread c = new Thread(() -> {
            final TraceBuffer b = instance.current();
            for (int i = 0; i < 3; i++) {
                b.writeFunction(11 + 2 * i, 2, i); // 11, 13, 15
            }
        });
        a.start();
        a.join();
        c.start();
        c.join();
        final List<Long> seen = new ArrayList<>();
        instance.pipe().drain(r -> seen.add(r.timestamp()), 100);
        assertThat(seen).containsExactly(10L, 11L, 12L, 13L, 14L, 15L);
        assertThat(instance.entriesInBuffer()).isZero();
        assertThat(instance.entriesWritten()).isEqualTo(6);
    }

    @Test
    void endedThreadsBufferStaysReadableUntilConsumedThenIsReleased() throws Exception {
        final Thread t = new Thread(() -> {
            final TraceBuffer b = instance.current();
            for (int i = 0; i < 10; i++) {
                b.writeFunction(i, i, 0);
            }
        }, "short-lived");
        t.start();
        t.join();
        assertThat(instance.buffers()).hasSize(1);
        assertThat(instance.snapshot()).hasSize(10).allMatch(r -> r.threadName().equals("short-lived"));
        assertThat(instance.buffers()).as("snapshot does not release").hasSize(1);

        final TracePipe pipe = instance.pipe();
        final TraceRecord r = new TraceRecord();
        for (int i = 0; i < 10; i++) {
            assertThat(pipe.poll(r, 0, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(pipe.poll(r, 0, TimeUnit.SECONDS)).isFalse();
        assertThat(instance.buffers()).isEmpty();
        assertThat(instance.memoryBytes()).isZero();
        assertThat(instance.entriesWritten()).as("released buffers still count").isEqualTo(10);
        assertThat(instance.entriesHeader()).isEqualTo("# entries-in-buffer/entries-written: 0/10   #P:0");
    }

    @Test
    void resetReleasesEndedThreadsBuffersButKeepsLiveOnes() throws Exception {
        final Thread t = new Thread(() -> instance.current().writeFunction(1, 1, 0));
        t.start();
        t.join();
        instance.current().writeFunction(2, 2, 0);
        assertThat(instance.buffers()).hasSize(2);
        instance.reset();
        assertThat(instance.buffers()).hasSize(1);
        assertThat(instance.snapshot()).isEmpty();
        assertThat(instance.entriesWritten()).isZero();
    }

    @Test
    void liveThreadsEmptyBufferIsNotReleased() {
        instance.current().writeFunction(1, 1, 0);
        instance.pipe().drain(r -> { }, 10);
        assertThat(instance.buffers()).hasSize(1);
    }

    private static void await(final CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(final long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
