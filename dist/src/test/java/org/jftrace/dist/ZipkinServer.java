package org.jftrace.dist;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Zipkin server (the exec jar Maven copies to target/zipkin) on a free loopback port, with
 * in-memory storage: started, polled on /health until up (at most 180 s: it is a Spring Boot
 * application on a shared machine), and killed at the end.
 */
final class ZipkinServer implements AutoCloseable {

    static final Path JAR = Path.of(System.getProperty("jftrace.zipkinJar", "target/zipkin/zipkin-server-exec.jar"));

    final int port;
    private final Process process;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ZipkinServer(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    static ZipkinServer start() throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("zipkin", ".log");
        // only the HTTP listener: the optional collectors (Kafka, RabbitMQ, ActiveMQ, Pulsar, Scribe) stay
        // off unless configured, and its own gRPC collector is switched off
        Process p = new ProcessBuilder(ChildJvm.java(), "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(),
                "--server.port=" + port, "--server.address=127.0.0.1", "--zipkin.collector.grpc.enabled=false",
                "--zipkin.collector.scribe.enabled=false", "--zipkin.self-tracing.enabled=false")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ZipkinServer z = new ZipkinServer(port, p, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("zipkin exited: " + Files.readString(log));
            }
            try {
                if (z.get("/health").contains("\"UP\"")) {
                    return z;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        z.close();
        throw new AssertionError("zipkin did not come up in 180 s: " + Files.readString(log));
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(log);
    }
}
