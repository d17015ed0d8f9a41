package org.jftrace.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Virtual threads exist from JDK 21; this module compiles for 17, so they are reached reflectively. */
class VirtualThreadBuffersTest {

    private final TraceBuffers instance = new TraceBuffers();

    @BeforeEach
    void requireVirtualThreads() {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
    }

    private static ExecutorService virtualThreadPerTask() throws Exception {
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    private static Thread startVirtualThread(final Runnable task) throws Exception {
        return (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, task);
    }

    @Test
    @Timeout(300)
    void aMillionShortVirtualThreadsShareABoundedPoolOfBuffers() throws Exception {
        instance.setBufferSizeKb(16);
        instance.setMaxVirtualBuffers(16);
        final int threads = 1_000_000;
        final ExecutorService ex = virtualThreadPerTask();
        for (int i = 0; i < threads; i++) {
            final int ip = i;
            ex.execute(() -> {
                final TraceBuffer b = instance.current();
                final long t0 = instance.clock().now();
                b.writeGraphEntry(t0, ip, 0);
                b.writeGraphReturn(instance.clock().now(), ip, 0, t0, 0, false);
            });
        }
        ex.shutdown();
        assertThat(ex.awaitTermination(240, TimeUnit.SECONDS)).isTrue();

        final List<TraceBuffer> buffers = instance.buffers();
        assertThat(buffers).hasSizeLessThanOrEqualTo(16).allMatch(TraceBuffer::isPooled);
        // one 16 KB buffer per thread would be 16 GB; the pool holds well under a megabyte
        assertThat(instance.memoryBytes()).isLessThan(1L << 20);
        assertThat(instance.entriesWritten() + instance.lost()).isEqualTo(2L * threads);

        final List<TraceRecord> records = instance.snapshot();
        assertThat(records).isNotEmpty();
        final Map<Long, Integer> ipByThread = new HashMap<>();
        long known = 0;
        for (TraceRecord r : records) {
            if (r.thread() == ThreadIdentity.UNKNOWN) {
                continue;
            }
            known++;
            assertThat(r.isVirtualThread()).isTrue();
            final Integer previous = ipByThread.putIfAbsent(r.threadId(), r.ip());
            if (previous != null) {
                assertThat(r.ip()).as("records of thread %d", r.threadId()).isEqualTo(previous);
            }
        }
        // each buffer remembers its newest slots/4 = 128 owners, each wrote 2 records
        assertThat(known).isGreaterThanOrEqualTo(Math.min(records.size(), 2L * 128 * buffers.size()) / 2);

        System.gc();
        final Runtime rt = Runtime.getRuntime();
        final long usedMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
        assertThat(usedMb).as("heap used after GC, MB").isLessThan(256);
    }

    @Test
    @Timeout(60)
    void virtualThreadsRecordsCarryTheirOwnIdentityInASharedBuffer() throws Exception {
        instance.setMaxVirtualBuffers(1);
        for (int i = 0; i < 3; i++) {
            final int ip = i;
            // one after another, joined: a lease returns only once its thread is dead (a Future can
            // complete while the thread that ran it is still alive), so each reuses the one pooled buffer
            startVirtualThread(() -> {
                instance.current().writeFunction(ip, ip, 0);
                instance.current().writeMarker(ip, Thread.currentThread().toString());
            }).join();
        }
        assertThat(instance.buffers()).hasSize(1);
        final List<TraceRecord> rs = instance.snapshot();
        assertThat(rs).hasSize(6).allMatch(TraceRecord::isVirtualThread);
        assertThat(rs).extracting(TraceRecord::threadId).doesNotContain(-1L);
        assertThat(rs.get(0).threadId()).isEqualTo(rs.get(1).threadId()).isNotEqualTo(rs.get(2).threadId());
        assertThat(rs.get(2).threadId()).isEqualTo(rs.get(3).threadId()).isNotEqualTo(rs.get(4).threadId());
        assertThat(rs.get(1).markerText()).contains("#" + rs.get(1).threadId());
    }

    @Test
    @Timeout(60)
    void virtualThreadsBeyondThePoolDropAndCountInsteadOfAllocating() throws Exception {
        instance.setMaxVirtualBuffers(1);
        final java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final ExecutorService ex = virtualThreadPerTask();
        ex.execute(() -> {
            instance.current().writeFunction(1, 1, 0);
            holding.countDown();
            try {
                release.await(); // keeps its lease while alive
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        holding.await();
        final boolean[] stored = new boolean[1];
        ex.submit(() -> stored[0] = instance.current().writeFunction(2, 2, 0)).get();
        release.countDown();
        ex.shutdown();
        assertThat(ex.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stored[0]).isFalse();
        assertThat(instance.lost()).isEqualTo(1);
        assertThat(instance.buffers()).hasSize(1);
    }
}
