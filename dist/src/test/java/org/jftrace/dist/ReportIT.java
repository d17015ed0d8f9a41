package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.File;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jftrace record --data} and {@code jftrace report} in every format, end to end. */
class ReportIT {

    static final String CP = ChildJvm.TEST_CLASSES.toString();

    static ChildJvm jftrace(String... args) throws Exception {
        return RecordCommandIT.jftrace(args);
    }

    /** The bundled example program's classes (examples/target/classes, next to runtime's). */
    static Path examples() {
        Path runtime = Path.of(System.getProperty("jftrace.runtimeClasses", "../runtime/target/classes"));
        return runtime.toAbsolutePath().getParent().getParent().getParent().resolve("examples/target/classes");
    }

    static Path recordProfileApp(Path tmp, String clock) throws Exception {
        Path data = tmp.resolve("profileapp-" + clock + ".jftrace");
        ChildJvm r = jftrace("record", "--clock", clock, "--include", "itest.ProfileApp", "-n", "itest.ProfileApp.main",
                "--data", data.toString(), "--", ChildJvm.java(), "-cp", CP, "itest.ProfileApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).as(r.toString()).contains("result ").doesNotContain("# tracer");
        assertThat(r.err).contains("jftrace record: wrote " + data + " (1 JVM)");
        return data;
    }

    @Test
    void reportPrintsTheTextThatRecordPrints(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("golden.jftrace");
        Path text = tmp.resolve("golden.txt");
        ChildJvm r = jftrace("record", "--clock", "counter", "--include", "itest.GoldenApp", "-O", "funcgraph-retval",
                "--data", data.toString(), "-o", text.toString(), "--", ChildJvm.java(), "-cp", CP, "itest.GoldenApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(Files.readString(text)).isEqualTo(RecordCommandIT.golden("function_graph.txt"));
        ChildJvm rep = jftrace("report", data.toString());
        assertThat(rep.exitCode).as(rep.toString()).isZero();
        assertThat(rep.out).isEqualTo(Files.readString(text));
    }

    @Test
    void chromeJsonSlicesNestAsTheGraphOneTrackPerThread(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("shop.jftrace");
        ChildJvm r = jftrace("record", "--include", "com.example.*", "--data", data.toString(), "--",
                ChildJvm.java(), "-cp", examples().toString(), "com.example.shop.Shop", "3");
        assertThat(r.exitCode).as(r.toString()).isZero();
        Path json = tmp.resolve("shop.json");
        ChildJvm rep = jftrace("report", "--format", "chrome-json", "-o", json.toString(), data.toString());
        assertThat(rep.exitCode).as(rep.toString()).isZero();

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        Map<Long, List<JsonNode>> byThread = new TreeMap<>();
        Map<Long, String> names = new HashMap<>();
        int threw = 0;
        for (JsonNode e : root.get("traceEvents")) {
            String ph = e.get("ph").asText();
            if (ph.equals("X")) {
                byThread.computeIfAbsent(e.get("tid").asLong(), k -> new ArrayList<>()).add(e);
                threw += e.get("args").has("threw") ? 1 : 0;
            } else if (ph.equals("M") && e.get("name").asText().equals("thread_name")) {
                names.put(e.get("tid").asLong(), e.get("args").get("name").asText());
            }
        }
        assertThat(names.values()).contains("main", "auditor");
        assertThat(byThread.keySet()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(threw).as("Pricing.applyCoupon throws for odd orders").isEqualTo(2);
        int slices = 0;
        for (List<JsonNode> l : byThread.values()) {
            l.sort(Comparator.comparing((JsonNode e) -> e.get("ts").decimalValue())
                    .thenComparing(e -> e.get("dur").decimalValue(), Comparator.reverseOrder()));
            ArrayDeque<JsonNode> stack = new ArrayDeque<>();
            for (JsonNode e : l) {
                BigDecimal s = e.get("ts").decimalValue();
                BigDecimal end = s.add(e.get("dur").decimalValue());
                while (!stack.isEmpty() && end(stack.peek()).compareTo(s) <= 0) {
                    stack.pop();
                }
                int depth = e.get("args").get("depth").asInt();
                if (stack.isEmpty()) {
                    assertThat(depth).as("a root slice is a graph root: %s", e).isEqualTo(1);
                } else {
                    JsonNode p = stack.peek();
                    assertThat(end).as("%s must end inside its parent %s", e, p).isLessThanOrEqualTo(end(p));
                    assertThat(depth).as("%s is one deeper than %s", e, p).isEqualTo(p.get("args").get("depth").asInt() + 1);
                }
                stack.push(e);
                slices++;
            }
        }
        // every call of the graph is one slice: the text has one line per leaf call and per closing brace
        ChildJvm text = jftrace("report", data.toString());
        long calls = text.out.lines().filter(x -> x.matches(".*\\|\\s+(\\S+\\(\\);|\\}).*")).count();
        assertThat(slices).isEqualTo(calls).isGreaterThan(20);
    }

    static BigDecimal end(JsonNode e) {
        return e.get("ts").decimalValue().add(e.get("dur").decimalValue());
    }

    static final Pattern STAT = Pattern.compile("^\\s+(\\S+)\\s+(\\d+)\\s+(\\d+\\.\\d+) us.*$");

    /** trace_stat/function as name -> {hits, time in counts}. */
    static Map<String, List<Long>> stat(String out) {
        Map<String, List<Long>> m = new TreeMap<>();
        for (String l : out.lines().toList()) {
            Matcher x = STAT.matcher(l);
            if (x.matches()) {
                long t = new BigDecimal(x.group(3)).movePointRight(3).longValueExact();
                m.put(x.group(1), List.of(Long.parseLong(x.group(2)), t));
            }
        }
        return m;
    }

    @Test
    void foldedAddsUpToTheProfilersFigures(@TempDir Path tmp) throws Exception {
        Path data = recordProfileApp(tmp, "counter");
        String time = jftrace("report", "-f", "folded", data.toString()).out;
        String calls = jftrace("report", "-f", "folded", "--folded-weight", "calls", data.toString()).out;
        Map<String, Long> total = new TreeMap<>();
        Map<String, Long> self = new TreeMap<>();
        Map<String, Long> hits = new TreeMap<>();
        for (String l : time.lines().toList()) {
            String[] frames = l.substring(0, l.lastIndexOf(' ')).split(";");
            long n = Long.parseLong(l.substring(l.lastIndexOf(' ') + 1));
            for (String f : frames) {
                total.merge(f, n, Long::sum); // each recursive level counts, as the profiler's graph-time does
            }
            self.merge(frames[frames.length - 1], n, Long::sum);
        }
        for (String l : calls.lines().toList()) {
            String[] frames = l.substring(0, l.lastIndexOf(' ')).split(";");
            hits.merge(frames[frames.length - 1], Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)), Long::sum);
        }
        assertThat(hits).containsEntry("itest.ProfileApp.order", 5L).containsEntry("itest.ProfileApp.price", 10L)
                .containsEntry("itest.ProfileApp.check", 5L).doesNotContainKey("itest.ProfileApp.main");

        String agent = "include=itest.ProfileApp,clock=counter,notrace=itest.ProfileApp.main";
        ChildJvm graphTime = ChildJvm.run(agent, List.of("-cp", CP), "itest.ProfileApp", "profile");
        ChildJvm selfTime = ChildJvm.run(agent + ",trace_options=nograph-time", List.of("-cp", CP), "itest.ProfileApp", "profile");
        assertThat(graphTime.out).as(graphTime.toString()).contains("result ");
        Map<String, List<Long>> withChildren = stat(graphTime.out);
        Map<String, List<Long>> own = stat(selfTime.out);
        assertThat(withChildren).as(graphTime.out).hasSize(hits.size());
        for (String f : hits.keySet()) {
            assertThat(withChildren.get(f)).as("%s: hits, time with children", f).containsExactly(hits.get(f), total.get(f));
            assertThat(own.get(f)).as("%s: hits, self time", f).containsExactly(hits.get(f), self.getOrDefault(f, 0L));
        }
    }

    static String chromium() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        return null;
    }

    static final class Browser {
        String out;
        String err;
    }

    static Browser chromium(Path tmp, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium-profile"), "--window-size=1200,800",
                "--enable-logging=stderr", "--v=0"));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("chromium.out");
        Path err = tmp.resolve("chromium.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + cmd);
        }
        Browser b = new Browser();
        b.out = Files.readString(out, StandardCharsets.UTF_8);
        b.err = Files.readString(err, StandardCharsets.UTF_8);
        return b;
    }

    /**
     * Lines where the page wrote to its console or an exception escaped (Chromium logs both as
     * {@code INFO:CONSOLE(line)] "message"}; the page itself never logs, so any such line is an error).
     */
    static List<String> consoleErrors(String stderr) {
        return stderr.lines().filter(l -> l.contains(":CONSOLE") || l.contains("Uncaught")).toList();
    }

    @Test
    void htmlFlameGraphRendersInHeadlessChromium(@TempDir Path tmp) throws Exception {
        assumeTrue(chromium() != null, "Chromium is not installed (Debian: apt-get install -y chromium): "
                + "the flame graph page is not checked in a browser");
        // The counter clock makes each frame's width a count of records, the same on every run: with
        // the monotonic clock, fib's frames can be too narrow for a label
        Path data = recordProfileApp(tmp, "counter");
        Path html = tmp.resolve("flame.html");
        ChildJvm rep = jftrace("report", "-f", "html", "--per-thread", "-o", html.toString(), data.toString());
        assertThat(rep.exitCode).as(rep.toString()).isZero();
        String url = html.toUri().toString();

        Browser dom = chromium(tmp, "--dump-dom", url);
        assertThat(consoleErrors(dom.err)).as(dom.err).isEmpty();
        for (String f : List.of("all", "[main]", "itest.ProfileApp.run", "itest.ProfileApp.order", "itest.ProfileApp.price",
                "itest.ProfileApp.fib")) {
            assertThat(dom.out).as("frame %s in the rendered DOM", f).containsPattern("class=\"f\" data-name=\""
                    + Pattern.quote(f) + "\"[^>]*>[^<]+</div>");
        }
        assertThat(dom.out).contains(">itest.ProfileApp.run</div>").containsPattern("id=\"vtotal\"[^>]*class=\"on\"").contains("<td>itest.ProfileApp.fib</td>");

        Browser self = chromium(tmp, "--dump-dom", url + "#view=self&search=fib");
        assertThat(consoleErrors(self.err)).as(self.err).isEmpty();
        assertThat(self.out).containsPattern("id=\"vself\"[^>]*class=\"on\"")
                .containsPattern("class=\"f m\"[^>]*data-name=\"itest.ProfileApp.fib\"")
                .contains("Matched: ");

        Path png = tmp.resolve("flame.png");
        Browser shot = chromium(tmp, "--screenshot=" + png, url);
        assertThat(consoleErrors(shot.err)).as(shot.err).isEmpty();
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).as("screenshot " + png).isNotNull();
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                colours.add(img.getRGB(x, y) & 0xFFFFFF);
            }
        }
        assertThat(colours.size()).as("distinct colours in the screenshot").isGreaterThan(50);
    }

    @Test
    void jfrPrintReadsTheEventsBack(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("golden.jftrace");
        ChildJvm r = jftrace("record", "--clock", "counter", "--include", "itest.GoldenApp", "--data", data.toString(), "--",
                ChildJvm.java(), "-cp", CP, "itest.GoldenApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        Path jfr = tmp.resolve("golden.jfr");
        ChildJvm rep = jftrace("report", "-f", "jfr", "-o", jfr.toString(), data.toString());
        assertThat(rep.exitCode).as(rep.toString()).isZero();
        // GoldenApp: main 1, step 2, fact(3) recursing 3 deep twice, leaf 2, fail 2
        assertThat(rep.err).contains("wrote 13 jftrace.FunctionCall events");

        String jfrTool = Path.of(ChildJvm.java()).resolveSibling("jfr").toString();
        ChildJvm print = ChildJvm.exec(List.of(jfrTool, "print", "--events", "jftrace.FunctionCall", jfr.toString()));
        assertThat(print.exitCode).as(print.toString()).isZero();
        assertThat(print.out.lines().filter(l -> l.equals("jftrace.FunctionCall {")).count()).isEqualTo(13);
        assertThat(print.out).contains("method = \"itest.GoldenApp.fail(I)V\"").contains("threw = true")
                .contains("caller = \"itest.GoldenApp.step(I)I\"").contains("tracedThread = \"main\"");
        ChildJvm summary = ChildJvm.exec(List.of(jfrTool, "summary", jfr.toString()));
        assertThat(summary.out).containsPattern("jftrace\\.FunctionCall\\s+13\\s");
    }
}
