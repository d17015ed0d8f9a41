package itest;


/**
 * A long-running program for the span export's attach: serves a request (SpanApp's calls: a 20 ms
 * load that parses for 5 ms) every 50 ms until its standard input ends or "s" is read.
 */
public final class SpanLoopApp {


    public static void main(String[] args) throws Exception {
        StdinStop.watch();
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        long served = 0;
        while (!StdinStop.requested) {
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
