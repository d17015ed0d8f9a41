package org.jftrace.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;
import bench.workload.PlainMath;
import bench.workload.TracedMath;
import org.jftrace.ftrace.DirectCall;
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
 * Question: what does a direct call cost (BPF fentry on the JVM)? For a function traced only by a
 * direct ops, the site's target is the handler itself, with the method's own arguments: goal at most
 * 1 ns over the uninstrumented call. Compared with the same work through the generic path (an ops
 * with FL_SAVE_REGS: the arguments saved into Regs, which its callback reads boxed), and a live patch
 * (IPMODIFY replacing the body) with the original.
 *
 * <p>{@code mode}: {@code direct} (an empty entry handler taking (int, int)), {@code regs} (an ops with
 * FL_SAVE_REGS reading both arguments), {@code patch} (a replacement returning x ^ y instead of
 * x * 31 + y). The handlers count calls in a static field so the JIT cannot drop them.
 *
 * <p>HOW TO RUN: as {@link DisabledSite}, with {@code DirectCost} as the benchmark name.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,bench.workload.*::*NoInline"})
@State(Scope.Thread)
public class DirectCost {

    @Param({"direct", "regs", "patch"})
    String mode;

    int x = 7;
    int y = 11;

    static long handled;

    private FtraceOps op;

    /** The empty fentry: the method's own parameters, nothing boxed. */
    public static void fentry(int x, int y) {
        handled++;
    }

    /** The live patch's replacement. */
    public static int replacement(int x, int y) {
        handled++;
        return x ^ y;
    }

    @Setup
    public void attach() throws ReflectiveOperationException {
        PlainMath.mix(x, y);
        TracedMath.mix(x, y);
        TracedMath.mixNoInline(x, y);
        Sites.requireTracedPair(TracedMath.class, PlainMath.class);
        MethodHandles.Lookup l = MethodHandles.lookup();
        MethodType ii = MethodType.methodType(int.class, int.class, int.class);
        switch (mode) {
            case "direct":
                op = FtraceOps.direct("bench-fentry", 0);
                Ftrace.setFilter(op, "bench.workload.TracedMath.mix*", true);
                Ftrace.registerFtraceDirect(op, DirectCall.entry(
                        l.findStatic(DirectCost.class, "fentry", MethodType.methodType(void.class, int.class, int.class))));
                break;
            case "regs":
                op = new FtraceOps("bench-regs", FtraceOps.FL_SAVE_REGS, (ip, parent, o, regs) -> {
                    if ((Integer) regs.arg(0) + (Integer) regs.arg(1) != 0) {
                        handled++;
                    }
                });
                Ftrace.setFilter(op, "bench.workload.TracedMath.mix*", true);
                Ftrace.registerFtraceFunction(op);
                break;
            default:
                op = FtraceOps.direct("bench-patch", FtraceOps.FL_IPMODIFY);
                Ftrace.setFilter(op, "bench.workload.TracedMath.mix*", true);
                Ftrace.registerFtraceDirect(op, DirectCall.replace(l.findStatic(DirectCost.class, "replacement", ii)));
        }
        handled = 0;
        int r = TracedMath.mix(x, y);
        if (handled != 1 || (mode.equals("patch") && r != (x ^ y))) {
            throw new IllegalStateException(mode + ": one call gave " + handled + " handler calls, result " + r);
        }
    }

    @TearDown
    public void detach() {
        if (mode.equals("regs")) {
            Ftrace.unregisterFtraceFunction(op);
        } else {
            Ftrace.unregisterFtraceDirect(op);
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
