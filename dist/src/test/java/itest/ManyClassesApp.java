package itest;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.function.IntUnaryOperator;

/**
 * For the attach benchmark: loads N generated classes {@code gen.C00000 ...} (each an
 * IntUnaryOperator, from the directory args[0]) and calls all of them in a loop until its standard
 * input ends, so that N functions are loaded and hot when jftrace attaches.
 */
public final class ManyClassesApp {

    static volatile boolean stop;

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        ClassLoader cl = new URLClassLoader(new URL[] {Path.of(args[0]).toUri().toURL()}, ManyClassesApp.class.getClassLoader());
        IntUnaryOperator[] ops = new IntUnaryOperator[n];
        for (int i = 0; i < n; i++) {
            ops[i] = (IntUnaryOperator) cl.loadClass(String.format("gen.C%05d", i)).getDeclaredConstructor().newInstance();
        }
        Thread reader = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // until the end of input
                }
            } catch (java.io.IOException ignored) {
                // stop
            }
            stop = true;
        });
        reader.setDaemon(true);
        reader.start();
        long sum = 0;
        for (int r = 0; r < 20; r++) {
            for (IntUnaryOperator op : ops) {
                sum += op.applyAsInt(r);
            }
        }
        System.out.println("ready " + ProcessHandle.current().pid() + " classes " + n);
        System.out.flush();
        while (!stop) {
            for (IntUnaryOperator op : ops) {
                sum += op.applyAsInt((int) sum);
            }
            Thread.sleep(1);
        }
        System.out.println("sum " + sum);
    }
}
