package itest;

/** Starts short-lived platform threads one after another, each making a few traced calls. */
public final class ThreadChurnApp {

    static volatile long sink;

    static long work(int i) {
        return i * 31L + 7;
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int calls = Integer.parseInt(args[1]);
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < calls; i++) {
                    sink += work(i);
                }
            });
            th.start();
            th.join();
        }
        System.out.println("done " + threads + " threads");
    }
}
