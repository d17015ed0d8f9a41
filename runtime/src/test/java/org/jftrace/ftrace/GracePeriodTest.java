package org.jftrace.ftrace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The grace period's side of the trampoline: whom an unregister waits for, and whom it never does. */
class GracePeriodTest {

    @Test
    @Timeout(60)
    void aThreadThatBecomesOneOfTheTracersWhileTheGracePeriodWaitsForItEndsTheWait() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch mark = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            ThreadCtx c = ThreadCtx.current();
            c.enterTracerCode(); // inside, its counter odd, as a thread starting tracer work is
            inside.countDown();
            try {
                mark.await();
                c.markTracer(); // a tracer thread from now on: inside for good, never left
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "becomes-tracer");
        t.setDaemon(true);
        t.start();
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        Thread waiter = new Thread(GracePeriod::awaitTrampolineExits, "grace-period");
        waiter.setDaemon(true);
        waiter.start();
        waiter.join(200); // it sees the thread inside and waits for it to leave
        assertThat(waiter.isAlive()).as("the grace period waits for a thread inside").isTrue();

        mark.countDown();
        waiter.join(10_000);
        assertThat(waiter.isAlive()).as("the grace period still waits for a thread that became the tracer's").isFalse();
        done.countDown();
    }
}
