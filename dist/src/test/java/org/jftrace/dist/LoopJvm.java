package org.jftrace.dist;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running {@code itest.LoopApp} to attach to: started, waited for until it prints "ready", and
 * stopped (through its standard input) at the end, after which its output says whether it was still
 * well. Bounded: a JVM that does not get ready in 30 s or stop in 20 s fails the test and is killed.
 */
final class LoopJvm implements AutoCloseable {

    final Process process;
    final long pid;
    private final Path errFile;
    private final BufferedReader out;

    private LoopJvm(Process process, long pid, Path errFile, BufferedReader out) {
        this.process = process;
        this.pid = pid;
        this.errFile = errFile;
        this.out = out;
    }

    /** Starts {@code java JVM_ARGS -cp TEST_CLASSES MAIN ARGS}, by default itest.LoopApp. */
    static LoopJvm start(List<String> jvmArgs, String... mainAndArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ChildJvm.java()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", ChildJvm.TEST_CLASSES.toString()));
        cmd.addAll(mainAndArgs.length == 0 ? List.of("itest.LoopApp") : List.of(mainAndArgs));
        Path err = Files.createTempFile("loop", ".err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(30_000);
                if (p.isAlive()) {
                    p.destroyForcibly(); // unblocks the readLine below
                }
            } catch (InterruptedException ignored) {
                // ready in time
            }
        });
        killer.setDaemon(true);
        killer.start();
        String line;
        try {
            while ((line = r.readLine()) != null) {
                if (line.startsWith("ready ")) {
                    return new LoopJvm(p, Long.parseLong(line.substring(6).trim().split(" ")[0]), err, r);
                }
            }
        } finally {
            killer.interrupt();
        }
        p.destroyForcibly();
        throw new AssertionError("LoopApp did not get ready (" + (System.nanoTime() > deadline ? "timeout" : "exited")
                + "): " + Files.readString(err));
    }

    /** Stops the program and returns everything it printed after "ready" (stdout, then stderr). */
    String stop() throws IOException, InterruptedException {
        try (OutputStream in = process.getOutputStream()) {
            in.write('s');
            in.flush();
        } catch (IOException gone) {
            // already exited: the output says why
        }
        StringBuilder sb = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                String l;
                while ((l = out.readLine()) != null) {
                    synchronized (sb) {
                        sb.append(l).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // done
            }
        });
        reader.setDaemon(true);
        reader.start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("LoopApp did not stop in 20 s");
        }
        reader.join(5000);
        synchronized (sb) {
            return sb + "--- stderr\n" + Files.readString(errFile);
        }
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(errFile);
    }

    /** Runs {@code java -jar jftrace.jar ARGS} to completion (at most 120 s). */
    static ChildJvm jftrace(String... args) throws Exception {
        return RecordCommandIT.jftrace(args);
    }

    /** Starts {@code java -jar jftrace.jar ARGS} in the background, output to the given files. */
    static Process jftraceAsync(File out, File err, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ChildJvm.java(), "-jar", ChildJvm.JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
    }
}
