package itest;

/**
 * Makes an exact number of traced calls, {@code calls} on the main thread and on each of
 * {@code threads} short-lived threads, at a steady {@code rate} a second (busy-waiting between them),
 * so that a test can tell a drain that keeps up from the machine's scheduling stalls.
 */
public final class CountedCallsApp {

    static volatile long sink;

    static long traced(long i) {
        return i ^ (i >>> 3);
    }

    static void calls(long n, long rate) {
        long s = 0;
        long start = System.nanoTime();
        long i = 0;
        while (i < n) {
            long due = Math.min(n, (long) ((System.nanoTime() - start) * (rate / 1e9)) + 1);
            while (i < due) {
                s += traced(i++);
            }
        }
        sink += s;
    }

    public static void main(String[] args) throws Exception {
        long calls = Long.parseLong(args[0]);
        int threads = Integer.parseInt(args[1]);
        long rate = Long.parseLong(args[2]);
        calls(calls, rate);
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> calls(calls, rate));
            th.start();
            th.join();
        }
        System.out.println("done");
    }
}
