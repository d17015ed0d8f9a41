package org.jftrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;
import org.jftrace.trace.TraceInstance;
import org.jftrace.trace.Tracefs;
import org.junit.jupiter.api.Test;

/**
 * Eight threads make hot traced calls (sites planted by the agent's own ClassSites)
 * while tracers, filters and ops are switched 10,000 times. Afterwards: no exception, no deadlock
 * (everything bounded by time limits, with a thread dump on a hang), every entry paired with its exit,
 * no callback after its unregister returned, and nothing lost by a tracer in non-overwrite mode.
 *
 * <p>Direct handlers and live patches are not switched here: DirectCallTest and LivePatchIT switch them.
 */
class StressTest {

    static final int WORKERS = 8;
    static final int SWITCHES = Integer.getInteger("stress.switches", 10_000);
    static final java.util.concurrent.atomic.AtomicInteger PROGRESS = new java.util.concurrent.atomic.AtomicInteger();
    /** Calls of Hot.counted per worker, each recorded by the steady non-overwrite instance. */
    static final int COUNTED_PER_WORKER = 20_000;
    /** Every worker sleeps 1 ms once in this many (+1) iterations of all workers together. */
    static final long PAUSE_MASK = Long.getLong("stress.pauseMask", 255);

    @Test
    void eightThreadsOfHotCallsSurviveTenThousandSwitchesOfTracersFiltersAndOps() throws Throwable {
        Class<?> hot = new Instrumented("stress.fixture.Hot").loadClass("stress.fixture.Hot");
        MethodHandle work = MethodHandles.publicLookup().findStatic(hot, "work", MethodType.methodType(int.class, int.class));
        MethodHandle counted = MethodHandles.publicLookup().findStatic(hot, "counted", MethodType.methodType(long.class, long.class));
        int expectedWork = expectedWork(7);
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        Tracefs fs = Tracefs.jvm();

        // A steady function tracer, never switched, in non-overwrite mode: must lose nothing.
        fs.mkdirInstance("stress-steady");
        fs.write("instances/stress-steady/options/overwrite", "0", false);
        fs.write("instances/stress-steady/buffer_size_kb", "2048", false);
        fs.write("instances/stress-steady/set_ftrace_filter", "stress.fixture.Hot.counted", false);
        fs.write("instances/stress-steady/current_tracer", "function", false);
        TraceInstance steadyTrace = fs.instance("instances/stress-steady");
        // The instance whose tracer and filter are switched.
        fs.mkdirInstance("stress-churn");
        // A steady checking ops over every function of Hot: perfect pairing throughout.
        CheckedOps steady = new CheckedOps("stress-steady-ops", 0, violations);
        Ftrace.setFilter(steady.op, "stress.fixture.Hot.*", true);
        Ftrace.registerFtraceFunction(steady.op);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong calls = new AtomicLong();
        AtomicLong countedCalls = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            Thread t = new Thread(() -> {
                long mine = 0;
                try {
                    while (!stop.get()) {
                        int r = (int) work.invokeExact(7);
                        if (r != expectedWork) {
                            violations.add("application saw a wrong result: " + r);
                        }
                        if (mine < COUNTED_PER_WORKER) {
                            long c = (long) counted.invokeExact(mine);
                            if (c != mine + 1) {
                                violations.add("application saw a wrong result from counted: " + c);
                            }
                            mine++;
                            countedCalls.incrementAndGet();
                        }
                        if ((calls.incrementAndGet() & PAUSE_MASK) == 0) {
                            // Eight hot threads on a small machine would starve the switching thread
                            // (each unregister waits for the threads inside the trampoline): breathe.
                            Thread.sleep(1);
                        }
                    }
                } catch (Throwable e) {
                    violations.add("exception escaped into the application: " + e);
                }
            }, "stress-worker-" + w);
            workers.add(t);
            t.start();
        }

        List<CheckedOps> gone = new ArrayList<>();
        String[] tracers = {"function", "function_graph", "nop", "function_graph", "function", "nop"};
        String[] filters = {"stress.fixture.Hot.work", "stress.fixture.Hot.*", "!stress.fixture.Hot.leaf", "*leaf* *thrower*", ""};
        ExecutorService switcher = Executors.newSingleThreadExecutor(r -> new Thread(r, "stress-switcher"));
        long t0 = System.nanoTime();
        Future<int[]> done = switcher.submit(() -> {
            int[] kinds = new int[3];
            CheckedOps current = null;
            for (int i = 0; i < SWITCHES; i++) {
                PROGRESS.set(i);
                switch (i % 3) {
                    case 0 -> {
                        fs.write("instances/stress-churn/current_tracer", tracers[(i / 3) % tracers.length], false);
                        kinds[0]++;
                    }
                    case 1 -> {
                        fs.write("instances/stress-churn/set_ftrace_filter", filters[(i / 3) % filters.length], false);
                        kinds[1]++;
                    }
                    default -> {
                        if (current == null) {
                            int flags = (i / 3) % 3 == 0 ? FtraceOps.FL_SAVE_REGS : (i / 3) % 3 == 1 ? FtraceOps.FL_RECURSION : 0;
                            current = new CheckedOps("stress-ops-" + i, flags, violations);
                            Ftrace.setFilter(current.op, (i / 3) % 2 == 0 ? "stress.fixture.Hot.*" : "*catcher* *thrower*", true);
                            Ftrace.registerFtraceFunction(current.op);
                        } else {
                            Ftrace.unregisterFtraceFunction(current.op);
                            current.unregistered.set(true);
                            gone.add(current);
                            current = null;
                        }
                        kinds[2]++;
                    }
                }
            }
            if (current != null) {
                Ftrace.unregisterFtraceFunction(current.op);
                current.unregistered.set(true);
                gone.add(current);
            }
            return kinds;
        });
        int[] kinds;
        try {
            kinds = done.get(240, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("switching did not finish in 240 s (deadlock?): " + PROGRESS.get() + " switches done\n" + threadDump());
        } finally {
            switcher.shutdownNow();
        }
        long switchNanos = System.nanoTime() - t0;
        // Let the workers finish their counted calls, then stop them.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (countedCalls.get() < (long) WORKERS * COUNTED_PER_WORKER && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Ftrace.unregisterFtraceFunction(steady.op);
        steady.unregistered.set(true);
        Thread.sleep(50); // workers run on with the checking ops gone
        stop.set(true);
        for (Thread t : workers) {
            t.join(60_000);
            assertThat(t.isAlive()).as("worker %s ended (no deadlock)\n%s", t.getName(), t.isAlive() ? threadDump() : "").isFalse();
        }
        // read before the switch to nop, which empties the buffers as ftrace's does
        long written = steadyTrace.buffers().entriesWritten();
        long lost = steadyTrace.buffers().lost();
        long inBuffer = steadyTrace.buffers().entriesInBuffer();
        fs.write("instances/stress-steady/current_tracer", "nop", false);
        fs.write("instances/stress-churn/current_tracer", "nop", false);
        fs.rmdirInstance("stress-steady");
        fs.rmdirInstance("stress-churn");

        System.out.printf("stress: %d workers, %d switches (%d tracer, %d filter, %d ops register/unregister) in %.1f s; %d hot calls"
                        + " (work(7) = 10 traced functions each); steady ops %d entries / %d exits; %d ops came and went;"
                        + " non-overwrite function tracer: %d calls, %d written, %d in buffer, %d lost%n",
                WORKERS, SWITCHES, kinds[0], kinds[1], kinds[2], switchNanos / 1e9, calls.get(), steady.entries.get(),
                steady.exits.get(), gone.size(), countedCalls.get(), written, inBuffer, lost);

        assertThat(violations).isEmpty();
        assertThat(kinds[0] + kinds[1] + kinds[2]).isEqualTo(SWITCHES);
        assertThat(countedCalls.get()).isEqualTo((long) WORKERS * COUNTED_PER_WORKER);
        assertThat(lost).as("records lost in non-overwrite mode").isZero();
        assertThat(written).as("one record per call of Hot.counted").isEqualTo(countedCalls.get());
        assertThat(inBuffer).isEqualTo(written);
        long entries = 0;
        for (CheckedOps c : gone) {
            entries += c.entries.get();
            // An ops unregistered mid-call misses the exits of calls in flight: at most the depth of
            // work(7) (3 frames) per worker; never an exit too many.
            assertThat(c.exits.get()).isLessThanOrEqualTo(c.entries.get());
            assertThat(c.entries.get() - c.exits.get()).isLessThanOrEqualTo(WORKERS * 4L);
        }
        assertThat(entries).as("the churned ops traced something").isGreaterThan(0);
        assertThat(steady.entries.get()).isGreaterThan(calls.get())
                .isBetween(steady.exits.get(), steady.exits.get() + WORKERS * 4L);
    }

    static int expectedWork(int n) {
        int s = 0;
        for (int i = 0; i < n; i++) {
            s += (i * 31) ^ (i >>> 3);
        }
        return s + ((n & 1) == 0 ? -1 : n);
    }

    static String threadDump() {
        StringBuilder sb = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, st) -> {
            sb.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
            for (StackTraceElement e : st) {
                sb.append("    at ").append(e).append('\n');
            }
        });
        return sb.toString();
    }
}
