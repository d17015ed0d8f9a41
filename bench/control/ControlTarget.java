/**
 * The JVM that bench/control.sh sends its control commands to: calls a small method in a loop (so
 * that a filter and a tracer have something to trace) until its standard input ends. Run as a source
 * file (java ControlTarget.java), so the benchmark needs nothing built but jftrace.jar.
 */
public final class ControlTarget {

    static long sink;

    public static void main(String[] args) throws Exception {
        Thread worker = new Thread(() -> {
            for (long i = 0; ; i++) {
                sink += step(i);
                if ((i & 1023) == 0) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "worker");
        worker.setDaemon(true);
        worker.start();
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the benchmark closes our standard input
        }
    }

    static long step(long i) {
        return i * 31 + 7;
    }
}
