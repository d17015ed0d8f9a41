package org.jftrace.bench;

import bench.workload.PlainCallee;
import bench.workload.TracedCallee;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: do instrumented methods that frameworks call through a non-constant
 * {@code MethodHandle.invokeExact} or through {@code Method.invoke} still reach C2, and cost what their
 * untraced copies cost while their sites are off? Measurements of HotSpot call sites saw, in one
 * harness, methods with an entry site reached only through {@code invokeExact} stay in tier 3, which
 * would make them several times slower.
 *
 * <p>Two answers in one fork: the ns/op of each traced/plain pair (a method stuck in tier 3 shows as a
 * large ratio), and the highest compilation level JFR's {@code jdk.Compilation} events recorded for each
 * callee, printed at the end of the fork (4 = C2).
 *
 * <p>HOW TO RUN: as {@link DisabledSite}, with {@code ReflectiveCalls} as the benchmark name.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:CompileCommand=quiet"})
@State(Scope.Thread)
public class ReflectiveCalls {

    int x = 7;
    int y = 11;

    // Instance fields, not static finals: the handles are not constants, as in a framework's dispatcher.
    MethodHandle plainHandle;
    MethodHandle tracedHandle;
    Method plainMethod;
    Method tracedMethod;
    private Recording compilations;

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        compilations = new Recording();
        compilations.enable("jdk.Compilation").withThreshold(java.time.Duration.ZERO);
        compilations.start();
        MethodType t = MethodType.methodType(int.class, int.class, int.class);
        plainHandle = MethodHandles.lookup().findStatic(PlainCallee.class, "mix", t);
        tracedHandle = MethodHandles.lookup().findStatic(TracedCallee.class, "mix", t);
        plainMethod = PlainCallee.class.getMethod("mix", int.class, int.class);
        tracedMethod = TracedCallee.class.getMethod("mix", int.class, int.class);
        if ((int) plainHandle.invokeExact(x, y) != (int) tracedHandle.invokeExact(x, y)) { // initialises both
            throw new IllegalStateException("the traced copy computes something else");
        }
        Sites.requireTracedPair(TracedCallee.class, PlainCallee.class);
    }

    @TearDown(Level.Trial)
    public void report() throws Exception {
        compilations.stop();
        Path f = Files.createTempFile("jftrace-compilations", ".jfr");
        try {
            compilations.dump(f);
            Map<String, Integer> level = new TreeMap<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(f)) {
                RecordedMethod m = e.getValue("method");
                String owner = m == null ? "" : m.getType().getName();
                if (owner.endsWith("Callee")) {
                    level.merge(owner + "." + m.getName(), (int) e.getShort("compileLevel"), Math::max);
                }
            }
            System.out.println("\n[ReflectiveCalls] highest compile level per callee (4 = C2): " + level);
        } finally {
            compilations.close();
            Files.deleteIfExists(f);
        }
    }

    @Benchmark
    public int plainInvokeExact() throws Throwable {
        return (int) plainHandle.invokeExact(x, y);
    }

    @Benchmark
    public int tracedInvokeExact() throws Throwable {
        return (int) tracedHandle.invokeExact(x, y);
    }

    @Benchmark
    public Object plainReflection() throws Exception {
        return plainMethod.invoke(null, x, y);
    }

    @Benchmark
    public Object tracedReflection() throws Exception {
        return tracedMethod.invoke(null, x, y);
    }
}
