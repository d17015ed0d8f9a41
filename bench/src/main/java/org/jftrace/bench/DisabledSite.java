package org.jftrace.bench;

import bench.workload.PlainMath;
import bench.workload.TracedMath;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: what does a disabled site cost? The agent has planted an entry site, an exit site and a
 * catch-all in every method of {@link TracedMath}; nothing is registered, so every entry site is
 * bound (through its patch group's SwitchPoint guard) to {@code MethodHandles.empty}. Compared with
 * {@link PlainMath}, the same code without sites, in the same fork.
 *
 * <p>{@code traced}/{@code plain}: a 7-byte method that C2 inlines into the benchmark;
 * {@code tracedNoInline}/{@code plainNoInline}: the same body behind a real call
 * ({@code -XX:CompileCommand=dontinline}). {@code baseline}: JMH's own per-call cost.
 *
 * <p>HOW TO RUN (from the repository root, after {@code mvn -q package -DskipTests}):
 * <pre>
 *   java -jar bench/target/benchmarks.jar DisabledSite \
 *     -jvmArgsPrepend '-javaagent:dist/target/jftrace.jar=include=bench.workload.Traced*,include=bench.workload.gen.*'
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,bench.workload.*::*NoInline"})
@State(Scope.Thread)
public class DisabledSite {

    int x = 7;
    int y = 11;

    @Setup
    public void check() {
        PlainMath.mix(x, y);
        TracedMath.mix(x, y);
        Sites.requireTracedPair(TracedMath.class, PlainMath.class);
        if (!org.jftrace.ftrace.Ftrace.registeredOps().isEmpty()) {
            throw new IllegalStateException("ops registered: " + org.jftrace.ftrace.Ftrace.registeredOps());
        }
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
