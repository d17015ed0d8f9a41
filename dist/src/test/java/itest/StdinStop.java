package itest;

import java.io.IOException;

/**
 * The stop signal of the test programs that run until told (LoopApp keeps its own: the attach tests
 * count its classes): a daemon thread reads standard input and sets {@link #requested} when it ends
 * or reads 's' (what {@code LoopJvm.stop} sends).
 */
final class StdinStop {

    static volatile boolean requested;

    private StdinStop() {
    }

    static void watch() {
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
            requested = true;
        }, "stdin-reader");
        reader.setDaemon(true);
        reader.start();
    }
}
