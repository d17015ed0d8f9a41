package org.jftrace.reliability;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM, run to its end (or killed at a time limit): the JVM named by {@code jftrace.java}, else
 * the one running the tests, so the same tests run on JDK 17 and JDK 25.
 */
final class Child {

    static final Path JAR = Path.of(System.getProperty("jftrace.jar", "../dist/target/jftrace.jar")).toAbsolutePath();
    static final Path TEST_CLASSES = Path.of(System.getProperty("jftrace.testClasses", "target/test-classes")).toAbsolutePath();
    static final Path CORPUS = Path.of(System.getProperty("reliability.corpus", "target/corpus")).toAbsolutePath();
    static final Path SUITES = Path.of(System.getProperty("reliability.suites", "target/suites")).toAbsolutePath();
    static final Path OUT = Path.of(System.getProperty("reliability.out", "target/reliability")).toAbsolutePath();

    final List<String> cmd;
    final int exitCode;
    final String out;
    final String err;
    final long millis;

    private Child(List<String> cmd, int exitCode, String out, String err, long millis) {
        this.cmd = cmd;
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
        this.millis = millis;
    }

    static String java() {
        String j = System.getProperty("jftrace.java");
        return j != null && !j.isBlank() ? j : Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java [-javaagent:jftrace.jar=agentOptions] args...}; agentOptions null = no agent. */
    static Child java(String agentOptions, int timeoutSeconds, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        if (agentOptions != null) {
            cmd.add("-javaagent:" + JAR + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
        }
        cmd.addAll(args);
        return exec(cmd, timeoutSeconds);
    }

    static Child exec(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        return exec(cmd, timeoutSeconds, null);
    }

    /** Runs {@code cmd} in {@code dir} (null: this JVM's working directory). */
    static Child exec(List<String> cmd, int timeoutSeconds, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(OUT);
        Path outFile = Files.createTempFile(OUT, "child", ".out");
        Path errFile = Files.createTempFile(OUT, "child", ".err");
        long t0 = System.nanoTime();
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            Process p = pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("child JVM did not finish in " + timeoutSeconds + " s: " + cmd
                        + "\n--- stderr (tail)\n" + tail(Files.readString(errFile, StandardCharsets.UTF_8)));
            }
            return new Child(cmd, p.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8),
                    Files.readString(errFile, StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1_000_000);
        } finally {
            Files.deleteIfExists(outFile);
            Files.deleteIfExists(errFile);
        }
    }

    static String tail(String s) {
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + " after " + millis + " ms: " + cmd + "\n--- stdout (tail)\n" + tail(out)
                + "\n--- stderr (tail)\n" + tail(err);
    }
}
