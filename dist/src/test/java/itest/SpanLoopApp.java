package itest;

import java.io.IOException;

/**
 * A long-running program for the span export's attach: serves a request (SpanApp's calls: a 20 ms
 * load that parses for 5 ms) every 50 ms until its standard input ends or "s" is read.
 */
public final class SpanLoopApp {

    static volatile boolean stop;

    public static void main(String[] args) throws Exception {
        Thread reader = new Thread(() -> {
            try {
                int c;
                do {
                    c = System.in.read();
                } while (c >= 0 && c != 's');
            } catch (IOException ignored) {
                // stop
            }
            stop = true;
        }, "stdin-reader");
        reader.setDaemon(true);
        reader.start();
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        long served = 0;
        while (!stop) {
            serve();
            served++;
            Thread.sleep(50);
        }
        System.out.println("served " + served);
    }

    static void serve() throws InterruptedException {
        SpanApp.load();
    }
}
