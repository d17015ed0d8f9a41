package org.jftrace.bench;

import bench.workload.PlainMath;
import bench.workload.TracedDecoys;
import bench.workload.TracedMath;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Question: what does one ops cost on the function it traces (CALL_OPS: the site is bound straight to
 * that ops), and does it stay flat when {@code irrelevant} other ops are registered, each filtered to
 * another function ({@link TracedDecoys})? The kernel's figures for the same experiment (arm64, the
 * ftrace_ops sample module): 1.86 / 1.86 / 1.87 ns with 0 / 10 / 100 irrelevant ops, baseline 0.95 ns.
 *
 * <p>The callback is {@link CountingFunc} (one plain increment). What a traced call pays beyond the
 * plain one: the trampoline ({@code ThreadCtx.current()}, the shadow-stack frame, the grace-period
 * counter), the callback, and the exit site handing the frame back.
 *
 * <p>HOW TO RUN: as {@link DisabledSite}, with {@code CallOps} as the benchmark name.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,bench.workload.*::*NoInline"})
@State(Scope.Thread)
public class CallOps {

    @Param({"0", "10", "100"})
    int irrelevant;

    int x = 7;
    int y = 11;

    private final CountingFunc func = new CountingFunc();
    private final List<FtraceOps> registered = new ArrayList<>();

    @Setup
    public void register() {
        PlainMath.mix(x, y);
        TracedMath.mix(x, y);
        TracedDecoys.d00(0);
        Sites.requireTracedPair(TracedMath.class, PlainMath.class);
        for (int i = 0; i < irrelevant; i++) {
            FtraceOps op = new FtraceOps("irrelevant" + i, 0, (ip, parentIp, o, regs) -> { });
            Ftrace.setFilter(op, String.format("bench.workload.TracedDecoys.d%02d", i), true);
            Ftrace.registerFtraceFunction(op);
            registered.add(op);
        }
        FtraceOps relevant = new FtraceOps("relevant", 0, func);
        Ftrace.setFilter(relevant, "bench.workload.TracedMath.mix*", true);
        Ftrace.registerFtraceFunction(relevant);
        registered.add(relevant);
        String en = Sites.enabled("bench.workload.TracedMath.mix");
        if (!en.contains(" O") || en.split("\n").length != 2) {
            throw new IllegalStateException("expected CALL_OPS on both mix functions, enabled_functions:\n" + en);
        }
        System.out.print("\n[CallOps] enabled_functions:\n" + en);
        // Prove the callback runs before measuring: one traced call is one hit per relevant ops.
        TracedMath.mix(x, y);
        if (func.hits != 1) {
            throw new IllegalStateException("one traced call gave " + func.hits + " callback hits");
        }
        func.hits = 0;
    }

    @TearDown
    public void unregister() {
        System.out.println("\n[CallOps] callback hits=" + func.hits + " irrelevant=" + irrelevant);
        for (FtraceOps op : registered) {
            Ftrace.unregisterFtraceFunction(op);
        }
        registered.clear();
    }

    @Benchmark
    public void baseline() {
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
