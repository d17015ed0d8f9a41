package org.jftrace.ftrace;

/**
 * An ops' entry callback: the kernel's {@code ftrace_func_t}.
 *
 * <p>Called on the traced thread at a function's entry. {@code ip} is the function's index in
 * available_filter_functions, {@code parentIp} the index of the nearest traced caller on this thread
 * (0 when there is none). {@code regs} is this call's frame: it carries the arguments and the receiver
 * only when the ops has {@link FtraceOps#FL_SAVE_REGS}.
 *
 * <p>A callback must not block for long and should not throw: a throwable it lets escape is caught
 * (the application never sees it), counted, and the ops is shut down, as {@code FTRACE_WARN_ON} does.
 */
@FunctionalInterface
public interface FtraceFunc {
    void func(long ip, long parentIp, FtraceOps op, Regs regs);
}
