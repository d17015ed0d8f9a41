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
    void anEntryCallbackWithoutAReturnCallbackSeesTheCallOnTopOfItsThread() {
        List<String> seen = new ArrayList<>();
        FtraceOps op = new FtraceOps("entry-only", 0, (ip, parentIp, o, regs) -> {
            long before = regs.data(o);
            regs.setData(o, 100 + ip);
            Object local = regs.local(o);
            regs.setLocal(o, "set at " + ip);
            seen.add(ip + "<-" + parentIp + " depth=" + regs.depth() + " data=" + before + "/" + regs.data(o)
                    + " local=" + local + " args=" + regs.argCount() + " receiver=" + regs.receiver()
                    + " ret=" + regs.retval() + "/" + regs.retObject() + "/" + regs.thrown()
                    + " own thread=" + (regs.thread() == Thread.currentThread()));
        });
        op.setState(FtraceOps.STATE_ENABLED);
        op.slot = 7;
        ThreadCtx c = ThreadCtx.current();
        int base = c.depth;
        Frame outer = c.enterOne(op, op.func, 0, Frame.EXIT_POP, 1);
        Frame inner = c.enterOne(op, op.func, 0, Frame.EXIT_POP, 2);
        // the data each call set is its own frame's, not the thread's
        assertThat(outer.data(op)).isEqualTo(101);
        assertThat(inner.data(op)).isEqualTo(102);
        c.exitPop(inner);
        Frame again = c.enterOne(op, op.func, 0, Frame.EXIT_POP, 3); // inner's frame, reused: its data starts at 0
        c.exitPop(again);
        c.exitPop(outer);
        c.setLocal(op, null);
        assertThat(c.depth).isEqualTo(base);
        assertThat(seen).containsExactly(
                "1<-0 depth=" + (base + 1) + " data=0/101 local=null args=-1 receiver=null ret=0/null/null own thread=true",
                "2<-1 depth=" + (base + 2) + " data=0/102 local=set at 1 args=-1 receiver=null ret=0/null/null own thread=true",
                "3<-1 depth=" + (base + 2) + " data=0/103 local=set at 2 args=-1 receiver=null ret=0/null/null own thread=true");
    }

    @Test
    void whatAnEntryCallbackStoresForItsCallItsReturnCallbackReadsBack() {
        List<String> seen = new ArrayList<>();
        FtraceOps op = new FtraceOps("graph-like", 0,
                (ip, parentIp, o, regs) -> regs.setData(o, 1000 + ip),
                (ip, parentIp, o, regs) -> seen.add(ip + "<-" + parentIp + " data=" + regs.data(o) + " ret=" + regs.retval()
                        + " depth=" + regs.depth()));
        op.setState(FtraceOps.STATE_ENABLED);
        op.slot = 8;
        ThreadCtx c = ThreadCtx.current();
        int base = c.depth;
        Frame outer = c.enterOne(op, op.func, 0, Frame.EXIT_ONE, 1);
        Frame inner = c.enterOne(op, op.func, 0, Frame.EXIT_ONE, 2);
        c.exitOne(inner, 22, null, null);
        c.exitOne(outer, 11, null, null);
        assertThat(c.depth).isEqualTo(base);
        assertThat(outer.active()).isFalse();
        assertThat(seen).containsExactly(
                "2<-1 data=1002 ret=22 depth=" + (base + 2),
                "1<-0 data=1001 ret=11 depth=" + (base + 1));
    }

    @Test
    void aCallMadeByACallbackIsTracedOnlyByOpsWithoutTheRecursionFlag() {
        List<String> seen = new ArrayList<>();
        FtraceOps guarded = new FtraceOps("guarded", FtraceOps.FL_RECURSION, (ip, parentIp, o, regs) -> seen.add("guarded " + ip));
        FtraceOps open = new FtraceOps("open", 0, (ip, parentIp, o, regs) -> seen.add("open " + ip + "<-" + parentIp));
        ThreadCtx c = ThreadCtx.current();
        Frame[] nested = new Frame[2];
        FtraceOps outer = new FtraceOps("outer", FtraceOps.FL_RECURSION, (ip, parentIp, o, regs) -> {
            // a traced call made from inside this callback, as if it called traced code
            nested[0] = c.enterOne(guarded, guarded.func, guarded.flags, Frame.EXIT_POP, 2);
            nested[1] = c.enterOne(open, open.func, open.flags, Frame.EXIT_POP, 3);
            if (nested[1] != null) {
                c.exitPop(nested[1]);
            }
        });
        for (FtraceOps op : new FtraceOps[] {guarded, open, outer}) {
            op.setState(FtraceOps.STATE_ENABLED);
        }
        int base = c.depth;
        Frame f = c.enterOne(outer, outer.func, outer.flags, Frame.EXIT_POP, 1);
        c.exitPop(f);
        assertThat(nested[0]).as("the RECURSION ops, reached from a callback").isNull();
        assertThat(nested[1]).isNotNull();
        assertThat(seen).containsExactly("open 3<-1");
        assertThat(c.depth).isEqualTo(base);
        // outside any callback both trace as usual
        Frame g = c.enterOne(guarded, guarded.func, guarded.flags, Frame.EXIT_POP, 2);
        assertThat(g).isNotNull();
        c.exitPop(g);
        assertThat(seen).containsExactly("open 3<-1", "guarded 2");
    }

    @Test
    @Timeout(60)
    void anUnregisteredOpsIsDroppedFromTheIdleFramesAndLocalsOfLiveThreadsAndOnlyFromThose() throws Exception {
        FtraceOps gone = new FtraceOps("gone", 0, (ip, parentIp, o, regs) -> { });
        FtraceOps kept = new FtraceOps("kept", 0, (ip, parentIp, o, regs) -> { });
        gone.setState(FtraceOps.STATE_ENABLED);
        kept.setState(FtraceOps.STATE_ENABLED);
        gone.slot = 5; // as registration assigns; forget runs before the slot is freed
        kept.slot = 6;
        AtomicReference<Frame[]> frames = new AtomicReference<>();
        AtomicReference<ThreadCtx> ctx = new AtomicReference<>();
        java.util.concurrent.CountDownLatch traced = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread t = new Thread(() -> { // nested calls at depths 1-3, then one call left in flight, then idle
            ThreadCtx c = ThreadCtx.current();
            Frame d1 = c.enterOne(kept, kept.func, 0, Frame.EXIT_POP, 1);
            Frame d2 = c.enterOne(gone, gone.func, 0, Frame.EXIT_POP, 2);
            Frame d3 = c.enterOne(kept, kept.func, 0, Frame.EXIT_POP, 3);
            c.exitPop(d3);
            c.exitPop(d2);
            c.exitPop(d1);
            Frame inFlight = c.enterOne(gone, gone.func, 0, Frame.EXIT_POP, 4); // depth 1 again: d1's frame, rebound
            c.setLocal(kept, "kept's state");
            c.setLocal(gone, "gone's state"); // also in the one-entry cache
            frames.set(new Frame[] {inFlight, d2, d3});
            ctx.set(c);
            traced.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            c.exitPop(inFlight); // its ops was unregistered while it ran: the pop keeps it all the same
        });
        t.start();
        traced.await();
        Frame[] f = frames.get();
        assertThat(f[1].binding).as("an idle frame keeps its last ops until the next activation").isSameAs(gone);
        assertThat(f[2].binding).isSameAs(kept);

        gone.setState(FtraceOps.STATE_REMOVING); // what unregister does before the grace period
        GracePeriod.forget(gone);

        assertThat(f[1].binding).as("the idle frame of the unregistered ops").isNull();
        assertThat(f[2].binding).as("the idle frame of another ops").isSameAs(kept);
        assertThat(f[0].active()).isTrue();
        assertThat(f[0].binding).as("a call in flight keeps the ops its entry reached").isSameAs(gone);
        assertThat(ctx.get().local(gone)).isNull();
        assertThat(ctx.get().local(kept)).isEqualTo("kept's state");
        done.countDown();
        t.join();
        assertThat(f[0].binding).as("a pop keeps its ops").isSameAs(gone);

        kept.setState(FtraceOps.STATE_REMOVING); // another unregister, still in its grace period
        GracePeriod.forget(new FtraceOps("later", 0, (ip, parentIp, o, regs) -> { })); // while gone's is not over
        assertThat(f[0].binding).as("an ops whose unregister has not returned").isSameAs(gone);
        assertThat(f[2].binding).as("an ops whose grace period is not over").isSameAs(kept);

        gone.setState(FtraceOps.STATE_UNREGISTERED); // what unregister does after forget
        GracePeriod.forget(new FtraceOps("later", 0, (ip, parentIp, o, regs) -> { })); // any later unregister
        assertThat(f[0].binding).as("the next forget drops every unregistered ops").isNull();
        assertThat(f[2].binding).isSameAs(kept);
    }

    @Test
    void aThreadSeesTheSameContextOnEveryCall() {
        ThreadCtx c = ThreadCtx.current();
        assertThat(ThreadCtx.current()).isSameAs(c);
        assertThat(c.thread()).isSameAs(Thread.currentThread());
    }
}
