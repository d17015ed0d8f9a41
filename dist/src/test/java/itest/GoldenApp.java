package itest;

/** A deterministic single-threaded program for the golden-output tests (run with trace_clock=counter). */
public final class GoldenApp {

    public static void main(String[] args) {
        int total = 0;
        for (int i = 0; i < 2; i++) {
            total += step(i);
        }
        System.out.println("total " + total);
    }

    static int step(int i) {
        int v = fact(3) + leaf(i);
        try {
            fail(i);
        } catch (IllegalStateException e) {
            v++;
        }
        return v;
    }

    static int fact(int n) {
        return n <= 1 ? 1 : n * fact(n - 1);
    }

    static int leaf(int x) {
        return x + 1;
    }

    static void fail(int i) {
        if (i == 1) {
            throw new IllegalStateException("odd");
        }
    }
}
