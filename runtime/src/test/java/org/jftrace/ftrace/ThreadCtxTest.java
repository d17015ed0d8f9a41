package org.jftrace.ftrace;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The context lookup of every traced call: a thread-id-hashed cache in front of a ThreadLocal. */
class ThreadCtxTest {

    @Test
    @Timeout(60)
    void threadsWhoseIdsShareACacheSlotEachGetTheirOwnContext() throws Exception {
        // Thread ids are given at construction: make threads until two ids fall into one cache slot.
        Map<Long, Thread> bySlot = new HashMap<>();
        Thread[] pair = null;
        List<Thread> made = new ArrayList<>();
        CyclicBarrier both = new CyclicBarrier(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; pair == null && i < 100_000; i++) {
            Thread t = new Thread(() -> {
                try {
                    both.await();
                    for (int k = 0; k < 100_000; k++) {
                        ThreadCtx c = ThreadCtx.current();
                        if (c.thread() != Thread.currentThread()) {
                            throw new AssertionError("context of " + c.thread() + " on " + Thread.currentThread());
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            made.add(t);
            Thread other = bySlot.putIfAbsent(t.getId() & 4095, t);
            if (other != null) {
                pair = new Thread[] {other, t};
            }
        }
        assertThat(pair).isNotNull();
        pair[0].start();
        pair[1].start();
        pair[0].join();
        pair[1].join();
        assertThat(failure.get()).isNull();
    }

    @Test
    @Timeout(60)
    void theContextOfAnEndedThreadDoesNotKeepItsThreadReachable() throws Exception {
        AtomicReference<ThreadCtx> seen = new AtomicReference<>();
        Thread t = new Thread(() -> seen.set(ThreadCtx.current()));
        t.start();
        t.join();
        WeakReference<Thread> ref = new WeakReference<>(t);
        t = null;
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(ref.get()).as("the ended thread, still cached").isNull();
        assertThat(seen.get().thread()).isNull();
    }

    @Test
    void aThreadSeesTheSameContextOnEveryCall() {
        ThreadCtx c = ThreadCtx.current();
        assertThat(ThreadCtx.current()).isSameAs(c);
        assertThat(c.thread()).isSameAs(Thread.currentThread());
    }
}
