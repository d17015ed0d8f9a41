package itest;

import java.util.Observable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.trace.Tracefs;

/**
 * A JDK class that an include selects loads on one thread while another holds the core's lock and
 * waits for it, as a thread linking a site waits for the java.util classes java.lang.invoke loads.
 * The lock is held here by a listener of new functions (called under it), which starts a thread
 * loading {@code java.util.Observable} and waits up to 10 s for it. Prints whether the class loaded,
 * then whether it got its sites and is traced.
 */
public final class JdkLoadUnderLockApp {

    static final AtomicBoolean ARMED = new AtomicBoolean();
    static volatile boolean loaded;

    static final class Probe {
        static int run() {
            return 1;
        }
    }

    public static void main(String[] args) throws Exception {
        Ftrace.addFunctionListener(ip -> {
            if (!ARMED.compareAndSet(true, false)) {
                return;
            }
            Thread t = new Thread(() -> {
                try {
                    Class.forName("java.util.Observable");
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            }, "loader");
            t.start();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loaded = !t.isAlive();
        });
        ARMED.set(true);
        Probe.run(); // loads Probe: its functions are new, the listener runs under the lock
        System.out.println(loaded ? "loaded under the lock" : "DEADLOCK: java.util.Observable did not load in 10 s");

        // Its functions are listed while it is being planted, and traced once the new code is in:
        // polled, as a user would see it, a few milliseconds later.
        Tracefs fs = Tracefs.jvm();
        fs.write("set_ftrace_filter", "java.util.Observable.countObservers*", false);
        fs.write("current_tracer", "function", false);
        long deadline = System.nanoTime() + 10_000_000_000L;
        int n = 0;
        long traced = 0;
        while (traced == 0 && System.nanoTime() < deadline) {
            n = new Observable().countObservers();
            traced = fs.read("trace").lines().filter(l -> l.contains("java.util.Observable.countObservers")).count();
            if (traced == 0) {
                Thread.sleep(10);
            }
        }
        fs.write("current_tracer", "nop", false);
        System.out.println("sites: " + Ftrace.countSelected("java.util.Observable.*", ""));
        System.out.println("traced: " + (traced > 0) + " observers " + n);
    }
}
