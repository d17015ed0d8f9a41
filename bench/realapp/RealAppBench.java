import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Switching tracing on a real application under load: one of the framework applications (Spring Boot
 * on Tomcat, or Armeria on Netty) started without the agent, a client on loopback sending GET
 * /json requests as fast as one connection allows, and {@code jftrace attach} run on it with each
 * scenario in turn, 20 s after the load starts and 3 s after the previous one. Per scenario it prints the time from the attach command to the first event, the
 * throughput during tracing (from 2 s after the switch) and after it, relative to the throughput
 * just before, and the time after the detach until a one-second window is back to 90% of it.
 *
 * <pre>
 *   java bench/realapp/RealAppBench.java spring|armeria JAVA [SECONDS_TRACED]
 * </pre>
 * Run from the repository root after {@code mvn -q package -DskipTests}; bench/realapp.sh runs it.
 */
public final class RealAppBench {

    static final long BUCKET_MS = 100;
    static final int MAX_BUCKETS = 20_000; // 2,000 s of load at most
    static final long[] BUCKETS = new long[MAX_BUCKETS];
    static volatile boolean stop;
    static long start;

    record Scenario(String name, List<String> attachArgs, boolean events) {
    }

    public static void main(String[] args) throws Exception {
        String app = args[0];
        String java = args[1];
        int traced = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        String module;
        String main;
        String pkg;
        String method;
        switch (app) {
            case "spring":
                module = "frameworks/spring-boot-app";
                main = "org.jftrace.frameworks.spring.SpringApp";
                pkg = "org.springframework.web.servlet.*";
                method = "org.springframework.web.servlet.DispatcherServlet.doDispatch";
                break;
            case "armeria":
                module = "frameworks/armeria-app";
                main = "org.jftrace.frameworks.armeria.ArmeriaApp";
                pkg = "com.linecorp.armeria.server.*";
                method = "com.linecorp.armeria.server.HttpServerHandler.handleRequest";
                break;
            default:
                throw new IllegalArgumentException("app: spring or armeria, not '" + app + "'");
        }
        List<Scenario> scenarios = List.of(
                new Scenario("function, one package (" + pkg + "), the first attach", List.of("-p", "function", "-l", pkg), true),
                new Scenario("function, one method (" + method + ")", List.of("-p", "function", "-l", method), true),
                new Scenario("function_graph, one package", List.of("-p", "function_graph", "-l", pkg), true),
                new Scenario("function_graph, one method", List.of("-p", "function_graph", "-l", method), true),
                new Scenario("function profiler, one package", List.of("-p", "nop", "--function-profile", "-l", pkg), false),
                new Scenario("function profiler, one method", List.of("-p", "nop", "--function-profile", "-l", method), false),
                new Scenario("function, one package, a later attach", List.of("-p", "function", "-l", pkg), true));

        Path tmp = Files.createTempDirectory("realapp");
        Path portFile = tmp.resolve("port");
        List<String> cmd = List.of(java, "-Xmx1g", "-XX:+EnableDynamicAgentLoading", "-Dapp.portFile=" + portFile,
                "-cp", module + "/target/classes:" + module + "/target/lib/*", main);
        List<String> launch = new ArrayList<>(cmd);
        if (javaFeature(java) < 21) {
            launch.remove("-XX:+EnableDynamicAgentLoading"); // not known before JDK 21
        }
        Process p = new ProcessBuilder(launch).redirectErrorStream(true).redirectOutput(tmp.resolve("app.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(portFile) || Files.readString(portFile).isBlank()) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the app did not start: " + Files.readString(tmp.resolve("app.log")));
                }
                Thread.sleep(50);
            }
            URL url = java.net.URI.create("http://127.0.0.1:" + Files.readString(portFile).strip() + "/json?name=jftrace").toURL();
            start = System.nanoTime();
            Thread client = new Thread(() -> load(url), "load");
            client.setDaemon(true);
            client.start();
            System.out.printf("# %s, %s; %d cores; pid %d; one client connection on loopback, GET /json%n",
                    app, javaVersion(java), Runtime.getRuntime().availableProcessors(), p.pid());
            Thread.sleep(20_000); // warm-up: the JIT settles
            System.out.println("| scenario | functions | attach to first event | before (req/s) | during | traced calls/s | effective cost per call | after 2 s | recovery to 90% |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            for (Scenario s : scenarios) {
                run(s, p.pid(), java, traced, tmp);
            }
        } finally {
            stop = true;
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
    }

    static void run(Scenario s, long pid, String java, int traced, Path tmp) throws Exception {
        Thread.sleep(3000);
        double before = rate(now() - 5000, now());
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", "dist/target/jftrace.jar", "attach", Long.toString(pid)));
        cmd.addAll(s.attachArgs);
        cmd.addAll(List.of("--yes", "--duration", traced + "s", "-o", tmp.resolve("trace.txt").toString()));
        if (s.events) {
            cmd.add("--first-event");
        }
        long t0 = now();
        Process a = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(a.getInputStream().readAllBytes());
        a.waitFor();
        long t1 = now(); // detached
        String first = "-";
        Matcher m = Pattern.compile("first event in trace_pipe (\\d+) ms").matcher(out);
        if (m.find()) {
            first = m.group(1) + " ms";
        }
        Matcher f = Pattern.compile("on (\\d+) functions").matcher(out);
        String functions = f.find() ? f.group(1) : "?";
        Matcher sw = Pattern.compile("tracing JVM").matcher(out);
        if (a.exitValue() != 0 || !sw.find()) {
            System.out.println("| " + s.name + " | attach failed: " + out.strip().replace('\n', ' ') + " |");
            return;
        }
        // The switch is over when the attach says it traces; the window starts 2 s later.
        // The attach returns about its duration after the switch: the window starts 2 s after that.
        double during = rate(Math.min(t1 - 1000, t1 - traced * 1000L + 2000), t1 - 500);
        Thread.sleep(12_000);
        double after2 = rate(t1 + 2000, t1 + 3000);
        long recovered = -1;
        for (long t = t1; t + 1000 <= now(); t += BUCKET_MS) {
            if (rate(t, t + 1000) >= 0.9 * before) {
                recovered = t - t1;
                break;
            }
        }
        StringBuilder line = new StringBuilder("# " + s.name + ": req/s per second from the attach command on (detach at "
                + (t1 - t0) / 1000 + " s):");
        for (long t = t0; t + 1000 <= t1 + 12_000; t += 1000) {
            line.append(' ').append(Math.round(rate(t, t + 1000)));
        }
        System.err.println(line);
        // Traced calls: the records written (entries-written counts overwritten ones too), one per call
        // for the function tracer, an entry and an exit for function_graph.
        String calls = "-";
        String cost = "-";
        Path trace = tmp.resolve("trace.txt");
        Matcher w = Pattern.compile("entries-written: \\d+/(\\d+)").matcher(Files.exists(trace) ? Files.readString(trace) : "");
        if (w.find()) {
            double perSec = Long.parseLong(w.group(1)) / (s.attachArgs.contains("function_graph") ? 2.0 : 1.0) / traced;
            calls = String.format(Locale.ROOT, "%,.0f", perSec);
            cost = perSec <= 0 ? "-" : String.format(Locale.ROOT, "%.0f ns", Math.max(0, 1 - during / before) * 1e9 / perSec);
        }
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %.0f | %.2fx | %s | %s | %.2fx | %s |%n", s.name, functions, first, before,
                during / before, calls, cost, after2 / before, recovered < 0 ? "> 12 s" : (recovered / 1000.0) + " s");
    }

    static long now() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Requests per second completed in [from, to) ms. */
    static double rate(long from, long to) {
        long n = 0;
        for (long b = from / BUCKET_MS; b < to / BUCKET_MS && b < MAX_BUCKETS; b++) {
            n += BUCKETS[(int) Math.max(0, b)];
        }
        return n * 1000.0 / Math.max(1, to - from);
    }

    static void load(URL url) {
        byte[] buf = new byte[8192];
        while (!stop) {
            try {
                HttpURLConnection c = (HttpURLConnection) url.openConnection(); // kept alive by the JDK's cache
                try (InputStream in = c.getInputStream()) {
                    while (in.read(buf) >= 0) {
                        // drain, so the connection is reused
                    }
                }
                int b = (int) (now() / BUCKET_MS);
                if (b < MAX_BUCKETS && c.getResponseCode() == 200) {
                    BUCKETS[b]++;
                }
            } catch (IOException e) {
                // counted as nothing done
            }
        }
    }

    static String javaVersion(String java) throws IOException, InterruptedException {
        Process v = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
        String s = new String(v.getInputStream().readAllBytes()).lines().findFirst().orElse("?");
        v.waitFor();
        return s;
    }

    static int javaFeature(String java) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("version \"(\\d+)").matcher(javaVersion(java));
        return m.find() ? Integer.parseInt(m.group(1)) : 17;
    }
}
