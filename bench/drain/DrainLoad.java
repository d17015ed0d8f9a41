/**
 * A traced program that makes calls at a set rate for a set time, on one thread (busy-waiting between
 * bursts, so it uses one core): the load of the drain-rate benchmark. Prints the rate it reached.
 */
public final class DrainLoad {

    static volatile long sink;

    static long traced(long i) {
        return i ^ (i >>> 3);
    }

    public static void main(String[] args) {
        final long rate = Long.parseLong(args[0]);
        final double seconds = Double.parseDouble(args[1]);
        final long start = System.nanoTime();
        final long end = start + (long) (seconds * 1e9);
        long calls = 0;
        long s = 0;
        long now;
        while ((now = System.nanoTime()) < end) {
            final long due = (long) ((now - start) * (rate / 1e9));
            while (calls < due) {
                s += traced(calls++);
            }
        }
        sink = s;
        final double took = (System.nanoTime() - start) / 1e9;
        System.out.printf("calls %d in %.2f s: %.2f M/s%n", calls, took, calls / took / 1e6);
    }
}
