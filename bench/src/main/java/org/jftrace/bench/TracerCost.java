package org.jftrace.bench;

import java.util.concurrent.TimeUnit;
import bench.workload.PlainMath;
import bench.workload.TracedMath;
import org.jftrace.trace.Tracefs;
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
 * Question: what does each tracer cost per traced call, recording into its per-thread buffer, and does
 * it allocate? The floor on this machine is the clock: {@code System.nanoTime()} ≈ 26 ns, a 32-byte
 * per-thread record ≈ 1.5 ns. Goals: function
 * within one clock read + 5 ns, function_graph within two clock reads + 10 ns, and under 5 ns with the
 * counter clock. {@code counter} is the kernel's: one shared atomic, a contended increment per record;
 * {@code local_counter} is a plain count per writer thread, the clock that goal is about.
 *
 * <p>{@code nanoTime} is the clock alone, in the same fork, to subtract. Buffers are small and in
 * overwrite mode, so the benchmark runs at steady state.
 *
 * <p>HOW TO RUN: as {@link DisabledSite}, with {@code TracerCost} as the benchmark name, and
 * {@code -prof gc} for the allocation column.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,bench.workload.*::*NoInline"})
@State(Scope.Thread)
public class TracerCost {

    @Param({"function", "function_graph", "profiler"})
    String tracer;

    @Param({"mono", "counter", "local_counter"})
    String clock;

    int x = 7;
    int y = 11;

    @Setup
    public void start() {
        PlainMath.mix(x, y);
        TracedMath.mix(x, y);
        Sites.requireTracedPair(TracedMath.class, PlainMath.class);
        Tracefs fs = Tracefs.jvm();
        fs.write("buffer_size_kb", "64", false);
        fs.write("trace_clock", clock, false);
        fs.write("set_ftrace_filter", "bench.workload.TracedMath.mix*", false);
        if (tracer.equals("profiler")) {
            fs.write("function_profile_enabled", "1", false);
        } else {
            fs.write("current_tracer", tracer, false);
        }
        TracedMath.mix(x, y);
        String check = tracer.equals("profiler") ? fs.read("trace_stat/function") : fs.read("trace");
        if (!check.contains("bench.workload.TracedMath.mix")) {
            throw new IllegalStateException("the " + tracer + " recorded nothing:\n" + check);
        }
    }

    @TearDown
    public void stop() {
        Tracefs fs = Tracefs.jvm();
        fs.write("function_profile_enabled", "0", false);
        fs.write("current_tracer", "nop", false);
        fs.write("trace", "", false);
    }

    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
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
