package org.jftrace.bench;

import java.util.concurrent.TimeUnit;
import bench.workload.PlainArgs;
import bench.workload.TracedArgs;
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
 * Question: what do func-args (function) and funcgraph-args + funcgraph-retval (function_graph) add
 * per traced call of {@code call(int, String, Object)String}, and of {@code wide}'s eight arguments
 * of every kind, and do they allocate? {@code args=off} is the same tracer with the options off (the
 * plain callbacks), in the same run.
 *
 * <p>HOW TO RUN: as {@link TracerCost}, with {@code ArgsCost} as the benchmark name and {@code -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,bench.workload.*::*NoInline"})
@State(Scope.Thread)
public class ArgsCost {

    @Param({"function", "function_graph"})
    String tracer;

    @Param({"off", "on"})
    String args;

    int n = 7;
    String s = "order-42";
    Object o = new Object();
    long l = -1L;
    double d = 0.5;
    boolean b = true;
    char c = 'c';
    float f = 1.5f;

    @Setup
    public void start() {
        PlainArgs.call(n, s, o);
        TracedArgs.call(n, s, o);
        TracedArgs.wide(n, l, d, b, c, f, s, o);
        Tracefs fs = Tracefs.jvm();
        fs.write("buffer_size_kb", "64", false);
        fs.write("set_ftrace_filter", "bench.workload.TracedArgs.*", false);
        boolean on = args.equals("on");
        fs.write("options/func-args", on && tracer.equals("function") ? "1" : "0", false);
        fs.write("options/funcgraph-args", on && tracer.equals("function_graph") ? "1" : "0", false);
        fs.write("options/funcgraph-retval", on && tracer.equals("function_graph") ? "1" : "0", false);
        fs.write("current_tracer", tracer, false);
        TracedArgs.call(n, s, o);
        TracedArgs.wide(n, l, d, b, c, f, s, o);
        String check = fs.read("trace");
        if (!check.contains("bench.workload.TracedArgs.call") || on != check.contains("s=\"order-42\"")
                || !check.contains("bench.workload.TracedArgs.wide") || on != check.contains("f=1.5, ...)")) {
            throw new IllegalStateException("the " + tracer + " did not record what args=" + args + " asks:\n" + check);
        }
    }

    @TearDown
    public void stop() {
        Tracefs fs = Tracefs.jvm();
        fs.write("current_tracer", "nop", false);
        fs.write("trace", "", false);
    }

    @Benchmark
    public String plain() {
        return PlainArgs.call(n, s, o);
    }

    @Benchmark
    public String traced() {
        return TracedArgs.call(n, s, o);
    }

    @Benchmark
    public String tracedNoInline() {
        return TracedArgs.callNoInline(n, s, o);
    }

    @Benchmark
    public String tracedWide() {
        return TracedArgs.wide(n, l, d, b, c, f, s, o);
    }
}
