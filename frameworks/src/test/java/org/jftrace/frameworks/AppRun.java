package org.jftrace.frameworks;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One run of a framework application in a child JVM, on 127.0.0.1 and an ephemeral port that the
 * application writes to a file ({@code -Dapp.portFile}). The JVM is the one named by
 * {@code jftrace.java}, else the one running the tests, so the same tests run on JDK 17 and JDK 25.
 * Its stdout, stderr, port file and the agent's files are kept in the run's directory.
 *
 * <p>{@link #close()} kills the JVM (and anything it started) if it still runs: every run is closed in
 * a finally (try-with-resources).
 */
final class AppRun implements AutoCloseable {

    static final Path JAR = Path.of(System.getProperty("jftrace.jar", "../dist/target/jftrace.jar")).toAbsolutePath();
    static final Path APPS = Path.of(System.getProperty("frameworks.apps", ".")).toAbsolutePath();
    static final Path OUT = Path.of(System.getProperty("frameworks.out", "target/frameworks")).toAbsolutePath();

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    final String name;
    final Path dir;
    final Path stdout;
    final Path stderr;
    final Path portFile;
    final List<String> cmd;
    private final Process process;
    private final long launchedNanos;
    private int port = -1;
    /** The JVM's CPU time (all threads, user and system) when it gave its first answer; -1: unknown. */
    long cpuMillisAtFirstAnswer = -1;

    private AppRun(String name, Path dir, List<String> cmd, Process process, long launchedNanos) {
        this.name = name;
        this.dir = dir;
        this.stdout = dir.resolve("stdout.txt");
        this.stderr = dir.resolve("stderr.txt");
        this.portFile = dir.resolve("port");
        this.cmd = cmd;
        this.process = process;
        this.launchedNanos = launchedNanos;
    }

    static String java() {
        String j = System.getProperty("jftrace.java");
        return j != null && !j.isBlank() ? j : Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The application's class path: its classes, then every jar of its target/lib, sorted. */
    static String classPath(String module) throws IOException {
        Path target = APPS.resolve(module).resolve("target");
        List<String> cp = new ArrayList<>();
        cp.add(target.resolve("classes").toString());
        try (var s = Files.list(target.resolve("lib"))) {
            cp.addAll(s.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toString).toList());
        }
        if (cp.size() < 10) {
            throw new IllegalStateException(module + ": the runtime class path was not copied to " + target.resolve("lib")
                    + " (the module's package phase does it): " + cp);
        }
        return String.join(File.pathSeparator, cp);
    }

    /**
     * Starts {@code java [-javaagent:jftrace.jar=OPTIONS] -cp CP MAIN} in {@code OUT/app/run}; agentOptions
     * null = no agent. {@code %d} in the options is replaced by the run's directory.
     */
    static AppRun launch(String app, String run, String module, String mainClass, String agentOptions) throws IOException {
        Path dir = OUT.resolve(app).resolve(run);
        Files.createDirectories(dir);
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.add("-Xmx1g");
        if (agentOptions != null) {
            String opts = agentOptions.replace("%d", dir.toString());
            cmd.add("-javaagent:" + JAR + (opts.isEmpty() ? "" : "=" + opts));
        }
        cmd.add("-Dapp.portFile=" + dir.resolve("port"));
        cmd.add("-cp");
        cmd.add(classPath(module));
        cmd.add(mainClass);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return new AppRun(app + " " + run, dir, cmd, p, t0);
    }

    /**
     * Waits for the port file, then for the first successful answer to {@code GET probePath}.
     *
     * @return milliseconds from the JVM's launch to that first answer
     */
    long awaitFirstAnswer(String probePath, Duration limit) throws IOException, InterruptedException {
        long deadline = launchedNanos + limit.toNanos();
        while (port < 0) {
            try {
                port = Integer.parseInt(Files.readString(portFile, StandardCharsets.UTF_8).trim());
            } catch (NoSuchFileException e) {
                check(deadline, "write its port to " + portFile);
                Thread.sleep(20);
            }
        }
        while (true) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(probePath)).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (r.statusCode() == 200) {
                    long wall = (System.nanoTime() - launchedNanos) / 1_000_000;
                    cpuMillisAtFirstAnswer = process.info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
                    return wall;
                }
            } catch (IOException e) {
                // not serving yet
            }
            check(deadline, "answer GET " + probePath + " with 200 on port " + port);
            Thread.sleep(20);
        }
    }

    private void check(long deadline, String what) throws IOException {
        if (!process.isAlive()) {
            throw new AssertionError(name + ": the JVM exited with " + process.exitValue() + " before it could " + what
                    + "\n" + describe());
        }
        if (System.nanoTime() - deadline > 0) {
            throw new AssertionError(name + ": did not " + what + " in time\n" + describe());
        }
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** One request; its answer as status, content type and body. */
    Answer send(Request q) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(q.path())).timeout(REQUEST_TIMEOUT);
        if (q.body() == null) {
            b.GET();
        } else {
            b.header("Content-Type", "text/plain; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(q.body(), StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(q.toString(), r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                q.compareBody() ? r.body() : "(body not compared)");
    }

    /**
     * Stops the application as a service manager does, by SIGTERM, and waits for its shutdown hooks (the
     * agent's write the trace and the report).
     */
    void stop(Duration limit) throws IOException, InterruptedException {
        if (!process.isAlive()) {
            throw new AssertionError(name + ": the JVM had exited (" + process.exitValue() + ") before it was stopped\n" + describe());
        }
        process.destroy();
        if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            close();
            throw new AssertionError(name + ": did not exit within " + limit.toSeconds() + " s of SIGTERM\n" + describe());
        }
    }

    String stdoutText() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    String stderrText() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    String describe() throws IOException {
        return "command: " + cmd.stream().map(s -> s.length() > 300 ? s.substring(0, 300) + "..." : s).collect(Collectors.joining(" "))
                + "\n--- stdout (tail)\n" + tail(stdoutText()) + "\n--- stderr (tail)\n" + tail(stderrText());
    }

    static String tail(String s) {
        return s.length() <= 6000 ? s : "..." + s.substring(s.length() - 6000);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A request: GET when body is null, else POST of the text. */
    record Request(String path, String body, boolean compareBody) {
        static Request get(String path) {
            return new Request(path, null, true);
        }

        static Request post(String path, String body) {
            return new Request(path, body, true);
        }

        @Override
        public String toString() {
            return (body == null ? "GET " : "POST ") + path + (body == null ? "" : " " + body);
        }
    }

    /** An answer, as compared between runs. */
    record Answer(String request, int status, String contentType, String body) {
    }
}
