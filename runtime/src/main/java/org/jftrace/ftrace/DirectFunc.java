package org.jftrace.ftrace;

/**
 * The generic form of a direct fentry handler ({@link DirectCall#generic}), for a DIRECT_CALLS_MULTI
 * ops over functions of different types. It boxes: {@code args} is a fresh array of the receiver (for
 * instance methods and constructors) followed by the arguments, primitives boxed. The exact
 * {@link java.lang.invoke.MethodHandle} form ({@link DirectCall#entry}) does not.
 */
@FunctionalInterface
public interface DirectFunc {
    /** @param ip the function's index in available_filter_functions */
    void call(long ip, Object[] args);
}
