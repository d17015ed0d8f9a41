package org.jftrace.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import bench.workload.TracedMath;
import org.jftrace.trace.Tracefs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: does the function profiler scale with threads? Its counters are per thread, merged when
 * trace_stat/function is read; the comparison is the same call plus one increment of a shared
 * AtomicLong, which is what a shared hit counter costs (JFR's method timing uses shared atomics).
 * Throughput: calls per microsecond, all threads together. This machine has 2 cores, so 4 threads
 * share them: flat from 2 to 4 is scaling, a drop is contention.
 *
 * <p>HOW TO RUN: as {@link DisabledSite}, with {@code ProfilerScaling} as the benchmark name.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:CompileCommand=quiet"})
public class ProfilerScaling {

    @State(Scope.Benchmark)
    public static class Profiler {
        final AtomicLong shared = new AtomicLong();

        @Setup(Level.Trial)
        public void start() {
            TracedMath.mixNoInline(1, 2);
            Tracefs fs = Tracefs.jvm();
            fs.write("set_ftrace_filter", "bench.workload.TracedMath.mixNoInline", false);
            fs.write("function_profile_enabled", "1", false);
        }

        @TearDown(Level.Trial)
        public void stop() {
            String stat = Tracefs.jvm().read("trace_stat/function");
            System.out.println("\n[ProfilerScaling] " + stat.lines().filter(l -> l.contains("mixNoInline")).findFirst().orElse(stat));
            Tracefs.jvm().write("function_profile_enabled", "0", false);
        }
    }

    @State(Scope.Thread)
    public static class Operands {
        int x = 7;
        int y = 11;
    }

    @Benchmark
    @Threads(1)
    public int profiled1(Profiler p, Operands o) {
        return TracedMath.mixNoInline(o.x, o.y);
    }

    @Benchmark
    @Threads(2)
    public int profiled2(Profiler p, Operands o) {
        return TracedMath.mixNoInline(o.x, o.y);
    }

    @Benchmark
    @Threads(4)
    public int profiled4(Profiler p, Operands o) {
        return TracedMath.mixNoInline(o.x, o.y);
    }

    @Benchmark
    @Threads(1)
    public long sharedCounter1(Profiler p, Operands o) {
        return TracedMath.mixNoInline(o.x, o.y) + p.shared.incrementAndGet();
    }

    @Benchmark
    @Threads(2)
    public long sharedCounter2(Profiler p, Operands o) {
        return TracedMath.mixNoInline(o.x, o.y) + p.shared.incrementAndGet();
    }

    @Benchmark
    @Threads(4)
    public long sharedCounter4(Profiler p, Operands o) {
        return TracedMath.mixNoInline(o.x, o.y) + p.shared.incrementAndGet();
    }
}
