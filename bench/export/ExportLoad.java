/**
 * A request loop for the span export's cost: each request handles 10 items (a few microseconds each,
 * under the threshold) and renders (about 100 us, over it), as fast as it can on one thread for the
 * given seconds. Prints, for the requests after the first 2 s (the JIT's warm-up), the requests per
 * second, the main thread's CPU time per request (what the tracing costs the thread that makes the
 * calls, whatever else the machine runs) and the whole JVM's CPU time (drain and JIT included).
 */
public final class ExportLoad {

    static long sink;

    public static void main(String[] args) {
        long nanos = (long) (Double.parseDouble(args[0]) * 1e9);
        long start = System.nanoTime();
        long warm = start + 2_000_000_000L;
        long end = start + nanos;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long n = 0;
        long counted = 0;
        long t0 = 0;
        long cpu0 = 0;
        long proc0 = 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            if (t0 == 0 && now >= warm) {
                t0 = now;
                counted = n;
                cpu0 = threads.getCurrentThreadCpuTime();
                proc0 = os.getProcessCpuTime();
            }
            handle(n++);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        long req = n - counted;
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / req;
        double proc = (os.getProcessCpuTime() - proc0) / 1e3 / req;
        System.out.printf("requests %d in %.1f s: %.0f requests/s, main thread %.1f us CPU/request, JVM %.1f us CPU/request"
                + "; JVM total %.1f s CPU (sink %d)%n", req, s, req / s, cpu, proc, os.getProcessCpuTime() / 1e9, sink & 1);
    }

    static void handle(long i) {
        for (int k = 0; k < 10; k++) {
            sink += item(i + k);
        }
        sink += render(i);
    }

    static long item(long x) {
        return mix(x, 2_000);
    }

    static long render(long x) {
        return mix(x, 100_000);
    }

    static long mix(long x, int rounds) {
        for (int j = 0; j < rounds; j++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            x ^= x >>> 29;
        }
        return x;
    }
}
