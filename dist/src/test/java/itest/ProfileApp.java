package itest;

import org.jftrace.trace.Tracefs;

/**
 * A deterministic single-threaded program for the report tests: nesting, recursion and an exception.
 * With the argument {@code profile} it runs under the function profiler (switched on and read
 * through the runtime's Tracefs, which the agent put on the boot class path) and prints
 * trace_stat/function; otherwise it is simply traced by whatever the agent was told.
 */
public final class ProfileApp {

    public static void main(String[] args) {
        boolean profile = args.length > 0 && args[0].equals("profile");
        if (profile) {
            Tracefs.jvm().write("function_profile_enabled", "1", false);
        }
        long r = run();
        if (profile) {
            Tracefs.jvm().write("function_profile_enabled", "0", false);
            System.out.print(Tracefs.jvm().read("trace_stat/function"));
        }
        System.out.println("result " + r);
    }

    static long run() {
        long s = 0;
        for (int i = 0; i < 5; i++) {
            s += order(i);
        }
        return s;
    }

    static long order(int i) {
        long v = price(i) + price(i + 1) + fib(i + 2);
        try {
            check(i);
        } catch (IllegalStateException e) {
            v--;
        }
        return v + tax(v);
    }

    static long price(int i) {
        return lookup(i) * 3;
    }

    static long lookup(int i) {
        return i + 7;
    }

    static long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    static void check(int i) {
        if (i % 2 == 1) {
            throw new IllegalStateException("odd " + i);
        }
    }

    static long tax(long v) {
        return v / 5;
    }
}
