package itest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jftrace.ftrace.DirectCall;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;

/**
 * A running "service" whose method has a bug (division by zero for an empty order), hot-fixed with a
 * live patch while a worker thread keeps calling it, then unpatched: the README's example.
 */
public final class HotFixApp {

    /** The buggy method: an empty order divides by zero. */
    static int unitPrice(int total, int qty) {
        return total / qty;
    }

    /** The fix, with the method's own signature. */
    static int fixedUnitPrice(int total, int qty) {
        return qty == 0 ? 0 : total / qty;
    }

    public static void main(String[] args) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Thread worker = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                try {
                    unitPrice(100, i % 5);
                    ok.incrementAndGet();
                } catch (ArithmeticException e) {
                    failed.incrementAndGet();
                }
            }
        });
        worker.start();
        Thread.sleep(200);
        System.out.println("before fix: failures " + (failed.get() > 0));

        FtraceOps fix = FtraceOps.direct("hotfix-unitPrice", FtraceOps.FL_IPMODIFY);
        Ftrace.setFilter(fix, "itest.HotFixApp.unitPrice", true);
        Ftrace.registerFtraceDirect(fix, DirectCall.replace(MethodHandles.lookup().findStatic(HotFixApp.class,
                "fixedUnitPrice", MethodType.methodType(int.class, int.class, int.class))));
        Thread.sleep(20); // a call already past the division when the fix landed may still fail
        long failedAtFix = failed.get();
        Thread.sleep(300);
        System.out.println("while fixed: new failures " + (failed.get() - failedAtFix));
        System.out.println("fixed call " + unitPrice(100, 0));
        System.out.print(Ftrace.enabledFunctions());

        Ftrace.unregisterFtraceDirect(fix);
        long failedAtUnfix = failed.get();
        Thread.sleep(200);
        stop.set(true);
        worker.join();
        System.out.println("after unpatch: failures again " + (failed.get() > failedAtUnfix));
        try {
            unitPrice(100, 0);
        } catch (ArithmeticException e) {
            System.out.println("original behaviour " + e.getClass().getName()); // the message may be gone: HotSpot's fast throw
        }
        System.out.println("enabled_functions empty " + Ftrace.enabledFunctions().isEmpty());
    }
}
