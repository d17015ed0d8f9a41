package org.jftrace.bench;

import org.jftrace.ftrace.FtraceFunc;
import org.jftrace.ftrace.FtraceOps;
import org.jftrace.ftrace.Regs;

/**
 * The benchmarks' "empty" callback: one plain increment (a few tenths of a nanosecond), so that the
 * teardown can prove the callback really ran. Single-threaded benchmarks only.
 */
final class CountingFunc implements FtraceFunc {

    long hits;

    @Override
    public void func(long ip, long parentIp, FtraceOps op, Regs regs) {
        hits++;
    }
}
