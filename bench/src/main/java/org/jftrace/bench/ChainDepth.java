package org.jftrace.bench;

import java.util.concurrent.TimeUnit;
import bench.workload.PlainMath;
import bench.workload.TracedMath;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: does a site that has been switched {@code switches} times cost more per call once C2 has
 * compiled it? Each switch adds one SwitchPoint guard to the site's chain (see ChainedSite); C2 folds
 * the dead guards, but each hop still spends inlining depth. The answer sets how long a chain may grow
 * before the site is relinked whole (jftrace.maxHops).
 *
 * <p>{@code enabled=false}: the switches end with nothing tracing the function (a disabled site, which
 * must stay free). {@code enabled=true}: they end with one ops on it (CALL_OPS).
 *
 * <p>HOW TO RUN: as {@link DisabledSite}, with {@code ChainDepth} as the benchmark name; the forks get
 * {@code -Djftrace.maxHops=64} so no switch relinks the site whole.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:CompileCommand=quiet", "-Djftrace.maxHops=64",
        "-XX:CompileCommand=dontinline,bench.workload.*::*NoInline"})
@State(Scope.Thread)
public class ChainDepth {

    @Param({"0", "4", "8", "16", "32"})
    int switches;

    @Param({"false", "true"})
    boolean enabled;

    int x = 7;
    int y = 11;

    private final CountingFunc func = new CountingFunc();
    private FtraceOps op;

    @Setup
    public void chain() {
        PlainMath.mix(x, y);
        TracedMath.mix(x, y); // links the sites: every switch below extends their chain by one guard
        TracedMath.mixNoInline(x, y);
        Sites.requireTracedPair(TracedMath.class, PlainMath.class);
        int n = switches + (enabled ? 1 : 0);
        for (int i = 0; i < n; i++) {
            op = new FtraceOps("chain" + i, 0, func);
            Ftrace.setFilter(op, "bench.workload.TracedMath.mix*", true);
            Ftrace.registerFtraceFunction(op);
            if (i < n - 1 || !enabled) {
                Ftrace.unregisterFtraceFunction(op);
                op = null;
            }
        }
        func.hits = 0;
        TracedMath.mix(x, y);
        if (func.hits != (enabled ? 1 : 0)) {
            throw new IllegalStateException("one call gave " + func.hits + " hits, expected " + (enabled ? 1 : 0));
        }
        System.out.println("\n[ChainDepth] " + Ftrace.patchStats());
    }

    @TearDown
    public void unregister() {
        if (op != null) {
            Ftrace.unregisterFtraceFunction(op);
        }
    }

    @Benchmark
    public int plain() {
        return PlainMath.mix(x, y);
    }

    @Benchmark
    public int traced() {
        return TracedMath.mix(x, y);
    }

    @Benchmark
    public int plainNoInline() {
        return PlainMath.mixNoInline(x, y);
    }

    @Benchmark
    public int tracedNoInline() {
        return TracedMath.mixNoInline(x, y);
    }
}
