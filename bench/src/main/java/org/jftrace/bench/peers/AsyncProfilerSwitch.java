package org.jftrace.bench.peers;

import static org.jftrace.bench.SwitchTenThousand.ms;
import static org.jftrace.bench.SwitchTenThousand.round;

import java.util.HashSet;
import java.util.Set;
import java.util.function.IntBinaryOperator;
import one.profiler.AsyncProfiler;
import one.profiler.Counter;
import org.jftrace.bench.SwitchTenThousand;

/**
 * The peers' switch time: how long async-profiler 4.6 takes to switch its method tracing on for
 * the same 10,000 generated functions {@code SwitchTenThousand} switches with jftrace, and off again,
 * through its Java API in the traced JVM. On = {@code execute("start,trace=bench.workload.gen.C*.applyAsInt")}
 * (every call recorded with its stack trace and duration; async-profiler retransforms the matching loaded
 * classes before {@code start} returns); off = {@code execute("stop")} (retransforms them back).
 *
 * <p>Proof, after on: the calls the profile holds for the generated functions ({@code dumpCollapsed},
 * one line per stack with its count) after one call of all K, and how many distinct functions they are.
 * After off: the profiler is started again (untimed) with a trace target that is not one of the K,
 * {@link #idle}, all K are called once, and the generated functions must not be in that profile: were
 * their classes still instrumented, their calls would be recorded there.
 *
 * <p>HOW TO RUN: {@code java -cp bench/target/benchmarks.jar:bench/target/peers/async-profiler.jar:runtime/target/jftrace-runtime-0.1.0-SNAPSHOT.jar org.jftrace.bench.peers.AsyncProfilerSwitch [K] [warm rounds]}.
 * (The native library is taken out of async-profiler.jar by {@code AsyncProfiler.getInstance()};
 * {@code -Done.profiler.libraryPath=/path/libasyncProfiler.so} names another.)
 */
public final class AsyncProfilerSwitch {

    private static final String ON = "start,trace=bench.workload.gen.C*.applyAsInt";
    private static final String CHECK_OFF = "start,trace=org.jftrace.bench.peers.AsyncProfilerSwitch.idle";

    private static volatile int sink;

    private AsyncProfilerSwitch() {
    }

    /** The "off" check's trace target: never one of the K. */
    public static int idle(int x) {
        return x + 1;
    }

    public static void main(String[] args) throws Exception {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        AsyncProfiler profiler = AsyncProfiler.getInstance();
        long[] warm = new long[1];
        IntBinaryOperator[] ops = SwitchTenThousand.generateAndWarm(AsyncProfilerSwitch.class.getClassLoader(), k, rounds, warm);
        System.out.printf("AsyncProfilerSwitch: K=%d java=%s async-profiler=%s; %d warm rounds of all K in %.0f ms (C2 state not checked)%n",
                k, System.getProperty("java.version"), profiler.getVersion(), rounds, ms(warm[0]));
        for (int rep = 1; rep <= 2; rep++) {
            long t0 = System.nanoTime();
            String started = profiler.execute(ON);
            long t1 = System.nanoTime();
            sink += round(ops, rep);
            long t2 = System.nanoTime();
            String profile = profiler.dumpCollapsed(Counter.SAMPLES);
            long t3 = System.nanoTime();
            String stopped = profiler.execute("stop");
            long t4 = System.nanoTime();
            long[] on = count(profile);

            profiler.execute(CHECK_OFF);
            sink += idle(round(ops, rep));
            String profileOff = profiler.dumpCollapsed(Counter.SAMPLES);
            profiler.execute("stop");
            long[] off = count(profileOff);
            System.out.printf("switch %d: on (start,trace=) %.2f ms | first calls of all %d: %.2f ms, recorded calls %d of %d "
                            + "functions %s | off (stop) %.2f ms, calls recorded after %d %s%n", rep, ms(t1 - t0), k,
                    ms(t2 - t1), on[0], on[1], on[0] == k && on[1] == k ? "OK" : "MISSING", ms(t4 - t3), off[0],
                    off[0] == 0 ? "OK" : "STILL ON");
            if (rep == 1) {
                System.out.println("  start answered: \"" + started.trim() + "\", stop: \"" + stopped.trim()
                        + "\"; profile lines: " + profile.split("\n").length + ", first: "
                        + profile.split("\n")[0] + "; off check's profile lines: " + profileOff.split("\n").length
                        + " (idle recorded: " + profileOff.contains("AsyncProfilerSwitch.idle") + ")");
            }
            for (int r = 0; r < rounds; r++) {
                sink += round(ops, r);
            }
        }
    }

    /** {calls, distinct functions} of the generated functions in a collapsed profile ("frame;frame;leaf count"). */
    private static long[] count(String collapsed) {
        long calls = 0;
        Set<String> functions = new HashSet<>();
        for (String line : collapsed.split("\n")) {
            int sp = line.lastIndexOf(' ');
            if (sp < 0) {
                continue;
            }
            String leaf = line.substring(line.lastIndexOf(';', sp) + 1, sp).replace('/', '.');
            if (leaf.startsWith("bench.workload.gen.C") && leaf.contains(".applyAsInt")) {
                calls += Long.parseLong(line.substring(sp + 1).trim());
                functions.add(leaf);
            }
        }
        return new long[] {calls, functions.size()};
    }
}
