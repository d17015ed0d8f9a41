package org.jftrace.bench.peers;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static org.jftrace.bench.SwitchTenThousand.ms;
import static org.jftrace.bench.SwitchTenThousand.round;

import java.lang.instrument.Instrumentation;
import java.util.function.IntBinaryOperator;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;
import org.jftrace.bench.SwitchTenThousand;

/**
 * The peers' switch time: how long Byte Buddy takes to switch the hand-written reference tracer
 * ({@link RingAdvice}, what jftrace's function tracer records) on for the same 10,000 generated
 * functions {@code SwitchTenThousand} switches with jftrace, and off again. On = an {@link AgentBuilder}
 * with retransformation installed over the 10,000 loaded classes; off = resetting it (retransforming
 * them back). A plain main program; needs this jar as its own agent for the Instrumentation.
 *
 * <p>HOW TO RUN: {@code java -javaagent:bench/target/benchmarks.jar -cp bench/target/benchmarks.jar:runtime/target/jftrace-runtime-0.1.0-SNAPSHOT.jar org.jftrace.bench.peers.ByteBuddySwitch [K] [warm rounds]}.
 * Prints the times, the first call of all K after the switch, and the records the advice wrote then
 * (the proof: K after on, 0 after off).
 */
public final class ByteBuddySwitch {

    private static volatile int sink;

    private ByteBuddySwitch() {
    }

    public static void main(String[] args) throws Exception {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Instrumentation inst = RingAdviceAgent.instrumentation;
        if (inst == null) {
            throw new IllegalStateException("run with -javaagent:bench/target/benchmarks.jar (its premain keeps the Instrumentation)");
        }
        long[] warm = new long[1];
        IntBinaryOperator[] ops = SwitchTenThousand.generateAndWarm(ByteBuddySwitch.class.getClassLoader(), k, rounds, warm);
        System.out.printf("ByteBuddySwitch: K=%d java=%s; %d warm rounds of all K in %.0f ms (C2 state not checked)%n",
                k, System.getProperty("java.version"), rounds, ms(warm[0]));
        Advice advice = RingAdviceAgent.advice();
        for (int rep = 1; rep <= 2; rep++) {
            long t0 = System.nanoTime();
            ResettableClassFileTransformer on = new AgentBuilder.Default()
                    .disableClassFormatChanges()
                    .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                    .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                    .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
                    .type(nameStartsWith("bench.workload.gen.C"))
                    .transform((DynamicType.Builder<?> builder, TypeDescription type, ClassLoader cl, JavaModule module,
                                java.security.ProtectionDomain pd) -> builder.visit(advice.on(named("applyAsInt"))))
                    .installOn(inst);
            long t1 = System.nanoTime();
            long before = Ring.writtenByThisThread();
            sink += round(ops, rep);
            long t2 = System.nanoTime();
            long recorded = Ring.writtenByThisThread() - before;
            on.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
            long t3 = System.nanoTime();
            long before2 = Ring.writtenByThisThread();
            sink += round(ops, rep);
            long recordedOff = Ring.writtenByThisThread() - before2;
            System.out.printf("switch %d: on (installOn, retransform) %.2f ms | first calls of all %d: %.2f ms, records %d %s"
                            + " | off (reset) %.2f ms, records after %d %s%n", rep, ms(t1 - t0), k, ms(t2 - t1), recorded,
                    recorded == k ? "OK" : "MISSING", ms(t3 - t2), recordedOff, recordedOff == 0 ? "OK" : "STILL ON");
            for (int r = 0; r < rounds; r++) {
                sink += round(ops, r);
            }
        }
    }
}
