package itest;

/**
 * Calls of known nesting and length for the span export: three requests, each loading (20 ms) and
 * parsing (5 ms), 200 quick checks (each far under a millisecond) and, in the last, a failure that throws; and
 * a worker thread of its own. Run with {@code --thresh 1ms}, every call but {@code check} is a span.
 */
public final class SpanApp {

    static long sink;

    public static void main(String[] args) throws Exception {
        long pause = args.length > 0 ? Long.parseLong(args[0]) : 0;
        Thread w = new Thread(SpanApp::work, "span-worker");
        w.start();
        for (int i = 0; i < 3; i++) {
            handle(i);
            Thread.sleep(pause);
        }
        w.join();
        System.out.println("served 3");
    }

    static void handle(int i) throws InterruptedException {
        load();
        parse();
        for (int k = 0; k < 200; k++) {
            sink += check(i + k);
        }
        if (i == 2) {
            try {
                fail();
            } catch (IllegalStateException expected) {
                // the span says the call threw
            }
        }
    }

    static void load() throws InterruptedException {
        Thread.sleep(20);
        parse();
    }

    static void parse() throws InterruptedException {
        Thread.sleep(5);
    }

    static int check(int i) {
        return i * 31;
    }

    static void fail() throws InterruptedException {
        Thread.sleep(3);
        throw new IllegalStateException("bad request");
    }

    static void work() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
