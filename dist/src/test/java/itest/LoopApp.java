package itest;

import java.io.IOException;

/**
 * A long-running program to attach to: calls {@link #work} in a loop until its standard input ends
 * (or "stop" is read), then prints how many rounds it made and that it is still well.
 */
public final class LoopApp {

    static volatile boolean stop;
    static long sink;

    public static void main(String[] args) throws Exception {
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    int c = System.in.read();
                    if (c < 0 || c == 's') {
                        break;
                    }
                }
            } catch (IOException ignored) {
                // stop
            }
            stop = true;
        }, "stdin-reader");
        reader.setDaemon(true);
        reader.start();
        long rounds = 0;
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        while (!stop) {
            sink += work(rounds++);
            Thread.sleep(1);
        }
        System.out.println("rounds " + rounds + " ok " + (work(3) == 10));
    }

    static int work(long n) {
        return square((int) (n % 7)) + 1;
    }

    static int square(int n) {
        return n * n;
    }
}
