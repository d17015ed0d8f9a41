package org.jftrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;
import org.junit.jupiter.api.Test;

/**
 * The JVM form of the seed's half-patched call site: threads call traced functions while ops are
 * registered, unregistered and refiltered thousands of times. No thread may see an exit without its
 * entry, a callback after its unregister returned, or an exception from the tracer.
 */
class ConcurrentRegistrationTest {

    static final int WORKERS = 3;
    static final int ROUNDS = 2000;

    @Test
    void entriesPairWithExitsAndNoCallbackRunsAfterUnregisterWhileOpsComeAndGo() throws Throwable {
        Class<?> shapes = new Instrumented("sites.fixture.Shapes").loadClass("sites.fixture.Shapes");
        MethodHandle fib = MethodHandles.publicLookup().findStatic(shapes, "fib", MethodType.methodType(int.class, int.class));
        MethodHandle catcher = MethodHandles.publicLookup().findStatic(shapes, "catcher", MethodType.methodType(int.class, int.class));
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong calls = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        int f = (int) fib.invokeExact(12);
                        int c = (int) catcher.invokeExact(calls.get() % 2 == 0 ? 3 : -3);
                        if (f != 144 || (c != -1 && c != -3)) {
                            violations.add("application saw a wrong result: fib=" + f + " catcher=" + c);
                        }
                        calls.incrementAndGet();
                    }
                } catch (Throwable e) {
                    violations.add("exception escaped into the application: " + e);
                }
            }, "worker-" + w);
            workers.add(t);
            t.start();
        }
        // A long-lived ops that stays registered throughout: it must see perfect pairing.
        CheckedOps steady = new CheckedOps("steady", 0, violations);
        Ftrace.setFilter(steady.op, "sites.fixture.Shapes.catcher", true);
        Ftrace.registerFtraceFunction(steady.op);
        List<CheckedOps> gone = new ArrayList<>();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                int flags = round % 3 == 0 ? FtraceOps.FL_SAVE_REGS : round % 3 == 1 ? FtraceOps.FL_RECURSION : 0;
                CheckedOps c = new CheckedOps("ops" + round, flags, violations);
                Ftrace.setFilter(c.op, round % 2 == 0 ? "sites.fixture.Shapes.fib" : "sites.fixture.Shapes.*", true);
                Ftrace.registerFtraceFunction(c.op);
                if (round % 5 == 0) {
                    Ftrace.setNotrace(c.op, "*thrower*", true); // a refilter while registered
                }
                Thread.onSpinWait();
                Ftrace.unregisterFtraceFunction(c.op);
                c.unregistered.set(true);
                gone.add(c);
            }
        } finally {
            Ftrace.unregisterFtraceFunction(steady.op);
            steady.unregistered.set(true);
            Thread.sleep(50); // let workers run on with everything unregistered
            stop.set(true);
            for (Thread t : workers) {
                t.join(30_000);
            }
        }
        assertThat(violations).isEmpty();
        assertThat(calls.get()).isGreaterThan(ROUNDS);
        long entries = 0;
        for (CheckedOps c : gone) {
            entries += c.entries.get();
            // An ops unregistered mid-call loses the exits of calls in flight: at most the depth of
            // fib(12) (13 frames) per worker; never an exit too many.
            assertThat(c.exits.get()).isLessThanOrEqualTo(c.entries.get());
            assertThat(c.entries.get() - c.exits.get()).isLessThanOrEqualTo(WORKERS * 14L);
        }
        assertThat(entries).as("the rounds traced something").isGreaterThan(0);
        // steady saw every call start to finish except those in flight at its own unregister.
        assertThat(steady.entries.get()).isGreaterThan(0)
                .isBetween(steady.exits.get(), steady.exits.get() + WORKERS);
    }
}
