package org.jftrace.bench.peers;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.bytebuddy.asm.Advice;

/**
 * Byte Buddy inline advice for the hand-written reference: copied by Byte Buddy into each
 * traced method. The method id is a constant per method ({@link MethodId}, bound by
 * {@link RingAdviceAgent}), so nothing is looked up per call.
 */
public final class RingAdvice {

    private RingAdvice() {
    }

    /** Bound to a {@code long} constant: the woven method's id in {@link Ring}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    public @interface MethodId {
    }

    @Advice.OnMethodEnter
    static long enter(@MethodId long id) {
        return Ring.enter(id);
    }

    // onThrowable: a throwing exit must restore the parent too (async-profiler's hook does not).
    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter long parent) {
        Ring.exit(parent);
    }
}
