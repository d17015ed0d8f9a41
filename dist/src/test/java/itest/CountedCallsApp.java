package itest;

/**
 * Makes an exact number of traced calls: {@code calls} on the main thread and on each of
 * {@code threads} short-lived threads, with a little work between calls so that the rate stays
 * within what a drain can write.
 */
public final class CountedCallsApp {

    static volatile long sink;

    static long traced(long i) {
        return i ^ (i >>> 3);
    }

    static long between(long seed) {
        long x = seed;
        for (int k = 0; k < 1000; k++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }

    static void calls(long n) {
        long s = 0;
        for (long i = 0; i < n; i++) {
            s += traced(i) + between(i);
        }
        sink += s;
    }

    public static void main(String[] args) throws Exception {
        long calls = Long.parseLong(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        calls(calls);
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> calls(calls));
            th.start();
            th.join();
        }
        System.out.println("done");
    }
}
