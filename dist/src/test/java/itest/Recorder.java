package itest;

import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;

/**
 * Runs inside the child JVM: an ops that prints every entry and exit it sees as a line on stdout,
 * so that the test in the parent JVM can check them. The runtime classes it uses come from the boot
 * class path, where the agent put them.
 */
public final class Recorder {

    private Recorder() {
    }

    public static FtraceOps start(String filter) {
        FtraceOps op = new FtraceOps("recorder", 0,
                (ip, parent, o, regs) -> System.out.println("> " + Ftrace.records().name((int) ip)
                        + " depth=" + regs.depth()),
                (ip, parent, o, regs) -> System.out.println("< " + Ftrace.records().name((int) ip)
                        + (regs.thrown() != null ? " threw " + regs.thrown().getClass().getName()
                        : " = " + (regs.retObject() != null ? regs.retObject() : regs.retval()))));
        Ftrace.setFilter(op, filter, true);
        Ftrace.registerFtraceFunction(op);
        return op;
    }
}
