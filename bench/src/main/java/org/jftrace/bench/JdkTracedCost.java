package org.jftrace.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Question: what does a traced JDK method cost per call, and what do the untraced methods of its
 * package pay meanwhile? A JDK method's sites sit behind its package's key: while any function of
 * java.util is traced, every java.util method with sites calls the entry, which finds its function
 * unselected and returns.
 *
 * <p>One {@code HashMap.get} of a 16-entry map per operation (it calls {@code hash} and
 * {@code getNode}, both java.util), in forks whose agent plants java.util:
 * <ul>
 *   <li>{@code off}: nothing traced, the package's key off (the baseline);
 *   <li>{@code traced}: {@code java.util.HashMap.get} traced by the tracer;
 *   <li>{@code neighbour}: {@code java.util.TreeMap.get} traced, so the key is on, and
 *       {@code HashMap.get} unselected.
 * </ul>
 *
 * <p>HOW TO RUN: {@code java -jar bench/target/benchmarks.jar JdkTracedCost -prof gc -jvmArgsPrepend
 * '-javaagent:dist/target/jftrace.jar=include=java.util.*'}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class JdkTracedCost {

    @Param({"off", "traced", "neighbour"})
    String mode;

    @Param({"function", "function_graph"})
    String tracer;

    private final Map<String, Integer> map = new HashMap<>();
    private final String[] keys = new String[16];
    private int round;

    @Setup
    public void start() {
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "key-" + i;
            map.put(keys[i], i);
        }
        if (org.jftrace.ftrace.Ftrace.countSelected("java.util.HashMap.get", "") == 0) {
            throw new IllegalStateException("java.util.HashMap has no sites: run with "
                    + "-jvmArgsPrepend '-javaagent:dist/target/jftrace.jar=include=java.util.*'");
        }
        if (mode.equals("off")) {
            return;
        }
        Tracefs fs = Tracefs.jvm();
        fs.write("buffer_size_kb", "64", false);
        fs.write("set_ftrace_filter", mode.equals("traced") ? "java.util.HashMap.get" : "java.util.TreeMap.get", false);
        fs.write("current_tracer", tracer, false);
        map.get(keys[0]);
        new java.util.TreeMap<>(map).get(keys[0]);
        String t = fs.read("trace");
        String want = mode.equals("traced") ? "java.util.HashMap.get" : "java.util.TreeMap.get";
        if (!t.contains(want) || mode.equals("neighbour") && t.contains("java.util.HashMap.get")) {
            throw new IllegalStateException("the " + tracer + " tracer did not record " + want + " alone:\n" + t);
        }
    }

    @TearDown
    public void stop() {
        Tracefs fs = Tracefs.jvm();
        fs.write("current_tracer", "nop", false);
        fs.write("trace", "", false);
    }

    @Benchmark
    public Integer hashMapGet() {
        return map.get(keys[round++ & 15]);
    }
}
