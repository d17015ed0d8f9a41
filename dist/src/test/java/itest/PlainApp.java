package itest;

import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;

/** A class-path application: traces its own work, then prints the agent's view of itself. */
public final class PlainApp {

    public static void main(String[] args) {
        FtraceOps op = Recorder.start("itest.PlainApp.work itest.PlainApp.square itest.PlainApp.fail");
        System.out.println("result " + work(3));
        try {
            fail();
        } catch (IllegalStateException expected) {
            System.out.println("caught");
        }
        Ftrace.unregisterFtraceFunction(op);
        System.out.println("after " + work(2)); // untraced now
        System.out.println("enabled_functions=" + Ftrace.enabledFunctions().isEmpty());
        System.out.print(Ftrace.records().availableFilterFunctions());
    }

    static int work(int n) {
        return square(n) + 1;
    }

    static int square(int n) {
        return n * n;
    }

    static void fail() {
        throw new IllegalStateException("x");
    }
}
