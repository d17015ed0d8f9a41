package org.jftrace.frameworks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jftrace.frameworks.AppRun.Answer;
import org.jftrace.frameworks.AppRun.Request;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole frameworks start and serve under the agent. Each application (the modules spring-boot-app and
 * armeria-app, with the framework's whole runtime class path from Maven Central) runs in a child JVM on
 * 127.0.0.1, five times, interleaved: without the agent, with it (default options: every class outside
 * the JDK gets sites, nothing traced), again without, again with, then with function_graph on one of
 * the framework's packages. Each run serves the same {@value #REQUESTS}-odd requests; every run's
 * answers (status, content type, body) must equal the first untraced run's. Startup is the time from
 * the JVM's launch to its first successful HTTP answer; the ratios go to target/frameworks/frameworks.md.
 *
 * <p>Under the agent: nothing on stdout or stderr about a VerifyError or ClassFormatError, no line
 * naming an exception or error that the runs without the agent did not print, no {@code jftrace:}
 * complaint, and the agent's report ({@code report=FILE}) leaves no class unchanged and
 * gives the framework's methods sites. With function_graph, the trace holds only the filtered package's
 * functions, with entries and exits, and the framework's request-handling function once per request.
 */
class FrameworksIT {

    /** The loop of requests after the fixed ones (the fixed ones are in {@link #requests()}). */
    static final int REQUESTS = 50;
    static final Duration STARTUP_LIMIT = Duration.ofSeconds(100);
    static final Duration STOP_LIMIT = Duration.ofSeconds(60);

    enum Framework {
        SPRING_BOOT("Spring Boot 3.5.16 (Spring MVC, Tomcat)", "spring-boot-app", "org.jftrace.frameworks.spring.SpringApp",
                "org.springframework.web.servlet.*", "org.springframework.web.servlet.DispatcherServlet.doDispatch"),
        ARMERIA("Armeria 1.37.0 (annotated service)", "armeria-app", "org.jftrace.frameworks.armeria.ArmeriaApp",
                "com.linecorp.armeria.server.*", "com.linecorp.armeria.server.HttpServerHandler.handleRequest");

        final String label;
        final String module;
        final String mainClass;
        /** The function_graph filter: one of the framework's packages. */
        final String tracedPackage;
        /** A function of that package called once per request. */
        final String perRequestFunction;

        Framework(String label, String module, String mainClass, String tracedPackage, String perRequestFunction) {
            this.label = label;
            this.module = module;
            this.mainClass = mainClass;
            this.tracedPackage = tracedPackage;
            this.perRequestFunction = perRequestFunction;
        }
    }

    static List<Request> requests() {
        List<Request> q = new ArrayList<>(List.of(
                Request.get("/hello?name=jftrace"),
                Request.get("/hello"),
                Request.get("/json?name=function_graph"),
                Request.post("/echo", "ftrace for the JVM: entry and exit sites in every method"),
                // an unknown path: the framework's not-found handling (Spring's error body holds a timestamp)
                new Request("/no/such/path", null, false)));
        for (int i = 0; i < REQUESTS; i++) {
            q.add(i % 5 == 4 ? Request.post("/echo", "body " + i + " ".repeat(i) + "end") : Request.get("/hello?name=user-" + i));
        }
        return q;
    }

    /** Startup figures of each application, for target/frameworks/frameworks.md. */
    static final Map<Framework, String[]> ROWS = Collections.synchronizedMap(new TreeMap<>());

    @ParameterizedTest(name = "{0}")
    @EnumSource(Framework.class)
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void startsAndServesTheSameAnswersWithTheAgentAndWithFunctionGraphOnItsPackage(Framework fw) throws Exception {
        String app = fw.module.replace("-app", "");
        // include=*: every class outside the JDK gets its sites as it loads (by default only the classes
        // a filter selects do), the hardest case for the application.
        String agentDefault = "include=*,report=%d/report.txt";
        String agentGraph = "tracer=function_graph,filter=" + fw.tracedPackage + ",trace_options=funcgraph-tail,buffer_size_kb=4096"
                + ",output=%d/trace.txt,report=%d/report.txt";

        List<Answer> expected = null;
        List<Served> without = new ArrayList<>();
        List<Served> with = new ArrayList<>();
        Set<String> untracedAlarms = new TreeSet<>();
        String report = null;
        // without, with, without, with: the machine's noise falls on both alike
        for (int round = 1; round <= 2; round++) {
            Served plain = serve(fw, app, "without-" + round, null);
            if (expected == null) {
                expected = plain.answers;
                assertThat(expected).as("the untraced run's answers").allMatch(a -> a.status() == 200 || a.request().contains("/no/such"));
            } else {
                assertThat(plain.answers).as("untraced run %d's answers", round).isEqualTo(expected);
            }
            without.add(plain);
            untracedAlarms.addAll(alarms(plain.run));

            Served agent = serve(fw, app, "agent-" + round, agentDefault);
            assertThat(agent.answers).as("answers with the agent (nothing traced), run %d\n%s", round, agent.run.describe())
                    .isEqualTo(expected);
            report = checkAgentRun(agent.run);
            assertThat(alarms(agent.run)).as("%s: lines naming an exception or error that no run without the agent printed\n%s",
                    agent.run.name, agent.run.describe()).isSubsetOf(untracedAlarms);
            with.add(agent);
        }

        Served graph = serve(fw, app, "function_graph", agentGraph);
        assertThat(graph.answers).as("answers with function_graph on %s\n%s", fw.tracedPackage, graph.run.describe()).isEqualTo(expected);
        checkAgentRun(graph.run);
        assertThat(alarms(graph.run)).as("%s: lines naming an exception or error that no run without the agent printed\n%s",
                graph.run.name, graph.run.describe()).isSubsetOf(untracedAlarms);
        Path traceFile = graph.run.dir.resolve("trace.txt");
        assertThat(traceFile).as("the function_graph trace (output=)").exists();
        GraphTrace trace = GraphTrace.parse(Files.readString(traceFile, StandardCharsets.UTF_8));
        String prefix = fw.tracedPackage.substring(0, fw.tracedPackage.length() - 1);
        assertThat(trace.header).as("the trace's header").startsWith("# tracer: function_graph");
        assertThat(trace.functions()).as("functions in the trace of %s", traceFile).isNotEmpty()
                .allMatch(f -> f.startsWith(prefix), "are in the filtered package " + fw.tracedPackage);
        assertThat(trace.entries).as("calls entered in %s", traceFile).isGreaterThan(1000);
        assertThat(trace.exits).as("calls exited in %s", traceFile).isGreaterThan(1000);
        // the request-handling function: entered and exited once per request answered with 200 at least
        // (and once for the startup probe)
        long served = graph.answers.stream().filter(x -> x.status() == 200).count() + 1;
        assertThat(trace.entriesOf(fw.perRequestFunction)).as("entries of %s in %s", fw.perRequestFunction, traceFile)
                .isGreaterThanOrEqualTo(served);
        assertThat(trace.exitsOf(fw.perRequestFunction)).as("exits of %s in %s", fw.perRequestFunction, traceFile)
                .isGreaterThanOrEqualTo(served);

        long sites = count(report, "# methods with sites: (\\d+)");
        assertThat(sites).as("methods with sites (agent report)").isGreaterThan(10_000);

        long w = Collections.min(without.stream().map(Served::startupMillis).toList());
        long a = Collections.min(with.stream().map(Served::startupMillis).toList());
        long wc = Collections.min(without.stream().map(x -> x.run.cpuMillisAtFirstAnswer).toList());
        long ac = Collections.min(with.stream().map(x -> x.run.cpuMillisAtFirstAnswer).toList());
        StringBuilder rows = new StringBuilder();
        rows.append(String.format(Locale.ROOT, "| %s | without the agent | %s | 1 | %s | 1 |%n", fw.label, seconds(without, false), seconds(without, true)));
        rows.append(String.format(Locale.ROOT, "| %s | with the agent, sites in every class (`include=*`), nothing traced | %s | %.2f | %s | %.2f |%n", fw.label, seconds(with, false),
                (double) a / w, seconds(with, true), (double) ac / wc));
        rows.append(String.format(Locale.ROOT, "| %s | function_graph on `%s` | %s | %.2f | %s | %.2f |%n", fw.label, fw.tracedPackage,
                seconds(List.of(graph), false), (double) graph.startupMillis / w, seconds(List.of(graph), true),
                (double) graph.run.cpuMillisAtFirstAnswer / wc));
        String facts = String.format(Locale.ROOT, "- %s: %,d methods with sites, no class left unchanged; function_graph on `%s`:"
                + " %,d calls in the trace (%,d with entry and exit), `%s` %,d times for %d requests%n", fw.label, sites, fw.tracedPackage,
                trace.entries, trace.complete, shortName(fw.perRequestFunction), trace.exitsOf(fw.perRequestFunction), requests().size() + 1);
        ROWS.put(fw, new String[] {rows.toString(), facts});
        writeTable();
        System.out.print(rows);
    }

    record Served(AppRun run, long startupMillis, List<Answer> answers) {
    }

    /** One run: launch, first answer, the requests, SIGTERM; the JVM is killed in any case. */
    static Served serve(Framework fw, String app, String run, String agentOptions) throws Exception {
        try (AppRun r = AppRun.launch(app, run, fw.module, fw.mainClass, agentOptions)) {
            long startup = r.awaitFirstAnswer("/hello?name=startup", STARTUP_LIMIT);
            List<Answer> answers = new ArrayList<>();
            for (Request q : requests()) {
                answers.add(r.send(q));
            }
            r.stop(STOP_LIMIT);
            StringBuilder log = new StringBuilder();
            answers.forEach(x -> log.append(x).append('\n'));
            Files.writeString(r.dir.resolve("answers.txt"), log.toString(), StandardCharsets.UTF_8);
            String both = r.stdoutText() + r.stderrText();
            assertThat(both).as("%s: stdout and stderr\n%s", r.name, r.describe())
                    .doesNotContain("VerifyError").doesNotContain("ClassFormatError");
            return new Served(r, startup, answers);
        }
    }

    private static final Pattern ALARM = Pattern.compile("Exception|Error|Throwable");

    /**
     * The lines of stdout and stderr that name an exception or an error, with digits and the thread
     * names of log lines blanked out, so that two runs' lines compare.
     */
    static Set<String> alarms(AppRun r) throws IOException {
        Set<String> s = new TreeSet<>();
        (r.stdoutText() + "\n" + r.stderrText()).lines().filter(l -> ALARM.matcher(l).find())
                .map(l -> l.replaceAll("\\[[^\\]]*\\]", "[]").replaceAll("\\d+", "#").strip()).forEach(s::add);
        return s;
    }

    /** The agent's complaints and report; returns the report. */
    static String checkAgentRun(AppRun r) throws IOException {
        List<String> complaints = r.stderrText().lines().filter(l -> l.startsWith("jftrace:")).toList();
        assertThat(complaints).as("%s: the agent's complaints on stderr", r.name).isEmpty();
        Path reportFile = r.dir.resolve("report.txt");
        assertThat(reportFile).as("%s: the agent's report (report=)", r.name).exists();
        String report = Files.readString(reportFile, StandardCharsets.UTF_8);
        assertThat(report).as("%s: classes left unchanged, with the reasons, in %s", r.name, reportFile)
                .contains("# classes left unchanged: 0\n");
        return report;
    }

    static long count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("'%s' in\n%s", regex, text).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Each run's startup, wall-clock or the JVM's CPU time, in seconds: "6.5 s / 7.6 s". */
    static String seconds(List<Served> runs, boolean cpu) {
        return String.join(" / ", runs.stream().map(r -> String.format(Locale.ROOT, "%.1f s",
                (cpu ? r.run.cpuMillisAtFirstAnswer : r.startupMillis) / 1000.0)).toList());
    }

    static String shortName(String function) {
        int dot = function.lastIndexOf('.', function.lastIndexOf('.') - 1);
        return function.substring(dot + 1);
    }

    static void writeTable() throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "JDK %s, %d CPUs. Startup: from the JVM's launch to its first HTTP 200, wall-clock and"
                + " the JVM's CPU time (all threads). Runs interleaved: without, with, without, with, function_graph. Ratio: to the"
                + " faster run without the agent (the faster of two runs with it). Each run then serves %d requests and stops on SIGTERM.%n%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), requests().size()));
        sb.append("| application | run | startup | ratio | CPU time to the first answer | ratio |\n");
        sb.append("|---|---|---:|---:|---:|---:|\n");
        synchronized (ROWS) {
            ROWS.values().forEach(r -> sb.append(r[0]));
            sb.append('\n');
            ROWS.values().forEach(r -> sb.append(r[1]));
        }
        Files.createDirectories(AppRun.OUT);
        Files.writeString(AppRun.OUT.resolve("frameworks.md"), sb.toString(), StandardCharsets.UTF_8);
    }
}
