package org.jftrace.dist;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a real child JVM with the jftrace agent and collects what it printed. The JVM is the one
 * named by the {@code jftrace.java} property (so the same tests run on JDK 17 and JDK 25), else the
 * one running the tests.
 */
final class ChildJvm {

    static final Path JAR = Path.of(System.getProperty("jftrace.jar", "target/jftrace.jar"));
    static final Path TEST_CLASSES = Path.of(System.getProperty("jftrace.testClasses", "target/test-classes"));

    final int exitCode;
    final String out;
    final String err;

    private ChildJvm(int exitCode, String out, String err) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    static String java() {
        String j = System.getProperty("jftrace.java");
        return j != null && !j.isBlank() ? j : Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs {@code java -javaagent:jftrace.jar[=agentOptions] jvmArgs... mainAndArgs...}. */
    static ChildJvm run(String agentOptions, List<String> jvmArgs, String... mainAndArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.add("-javaagent:" + JAR.toAbsolutePath() + (agentOptions == null ? "" : "=" + agentOptions));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of(mainAndArgs));
        return exec(cmd);
    }

    static ChildJvm exec(List<String> cmd) throws IOException, InterruptedException {
        return exec(cmd, 120);
    }

    /** Runs cmd, failing if it takes longer than timeoutSeconds. */
    static ChildJvm exec(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        return exec(cmd, java.util.Map.of(), timeoutSeconds);
    }

    /** Runs {@code cmd} with {@code env} added to this JVM's environment (at most 120 s). */
    static ChildJvm exec(List<String> cmd, java.util.Map<String, String> env) throws IOException, InterruptedException {
        return exec(cmd, env, 120);
    }

    /** Runs {@code cmd} with {@code env} added to this JVM's environment, failing after timeoutSeconds. */
    static ChildJvm exec(List<String> cmd, java.util.Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path outFile = Files.createTempFile("child", ".out");
        Path errFile = Files.createTempFile("child", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(outFile.toFile()).redirectError(errFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("child JVM did not finish in " + timeoutSeconds + " s: " + cmd);
            }
            return new ChildJvm(p.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8),
                    Files.readString(errFile, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(outFile);
            Files.deleteIfExists(errFile);
        }
    }

    List<String> lines() {
        return out.lines().toList();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
