package org.jftrace.ftrace;

/**
 * The generic form of a direct fexit handler ({@link DirectCall#generic}). {@code ret} is the boxed
 * return value (null for void, the new object for constructors), {@code thrown} the throwable of an
 * exceptional exit (then {@code ret} is null). Called only for calls whose entry this direct ops saw.
 */
@FunctionalInterface
public interface DirectRetFunc {
    void ret(long ip, Object ret, Throwable thrown);
}
