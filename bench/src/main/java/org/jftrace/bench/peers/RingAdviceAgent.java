package org.jftrace.bench.peers;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.constant.LongConstant;
import net.bytebuddy.utility.JavaModule;

/**
 * The Premain-Class of benchmarks.jar: {@code -javaagent:bench/target/benchmarks.jar} weaves
 * {@link RingAdvice} into every non-abstract, non-native method (not constructors) of
 * {@code bench.workload.peers.*} and {@code com.fasterxml.jackson.*} as those classes load. Being a
 * startup agent, it is installed before any workload class is loaded, so no retransformation is
 * needed. Each woven method gets its id from {@link Ring#register} at weaving time.
 */
public final class RingAdviceAgent {

    static final AtomicInteger TRANSFORMED = new AtomicInteger();
    static final AtomicInteger ERRORS = new AtomicInteger();

    private RingAdviceAgent() {
    }

    /** The agent's Instrumentation, for {@link ByteBuddySwitch} (retransformation at run time). */
    static volatile Instrumentation instrumentation;

    public static void premain(String args, Instrumentation inst) {
        instrumentation = inst;
        // The id is computed per woven method and pushed as a constant: no per-call lookup.
        Advice advice = advice();
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .type(nameStartsWith("bench.workload.peers.").or(nameStartsWith("com.fasterxml.jackson.")))
                .transform((DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader, JavaModule module,
                            java.security.ProtectionDomain pd) ->
                        builder.visit(advice.on(isMethod().and(not(isAbstract())).and(not(isNative())))))
                .with(new AgentBuilder.Listener.Adapter() {
                    @Override
                    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                                 DynamicType dynamicType) {
                        TRANSFORMED.incrementAndGet();
                    }

                    @Override
                    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
                        ERRORS.incrementAndGet();
                        System.err.println("[RingAdviceAgent] " + typeName + ": " + t);
                    }
                })
                .installOn(inst);
    }

    /** {@link RingAdvice} with each method's id bound as a constant, as premain weaves it. */
    static Advice advice() {
        return Advice.withCustomMapping()
                .bind(RingAdvice.MethodId.class, (instrumentedType, instrumentedMethod, assigner, argumentHandler, sort) ->
                        new Advice.OffsetMapping.Target.ForStackManipulation(LongConstant.forValue(
                                Ring.register(instrumentedType.getName() + "." + instrumentedMethod.getName()))))
                .to(RingAdvice.class);
    }
}
