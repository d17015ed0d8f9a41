package org.jftrace.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Real libraries' own test suites, from their published {@code tests} jars, run by the
 * JUnit Platform console launcher in a child JVM without jftrace and again with every method of the
 * library and of its tests traced by function_graph. Every test must end the same way: the same
 * counts of passed, failed and skipped tests, and the same outcome for each test.
 *
 * <p>A subset of each suite's test classes runs (the class-name pattern below) to keep the run to tens
 * of seconds; docs/reliability.md says which and why.
 */
class LibrarySuitesIT {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        // commons-lang3 3.17.0 (JUnit 5). Its whole suite takes over 5 minutes here, and once any test
        // leaves a ToStringStyle registered, AbstractLangTest fails every later test: a subset.
        "commons-lang3;commons-lang3-3.17.0-tests.jar;org.apache.commons.lang3.*;"
                + "org\\.apache\\.commons\\.lang3\\.(StringUtils.*|ArrayUtils.*|math\\..*|mutable\\..*|tuple\\..*|CharUtils.*"
                + "|BooleanUtils.*|ObjectUtils.*|Validate.*|text\\.translate\\..*|text\\.StrBuilder.*"
                + "|builder\\.(Equals|HashCode|CompareTo)Builder.*)Test",
        // commons-collections4 4.4 (JUnit 4, by the vintage engine): 70,488 tests take a minute
        // untraced; seven packages' 8,081 tests.
        "commons-collections4;commons-collections4-4.4-tests.jar;org.apache.commons.collections4.*;"
                + "org\\.apache\\.commons\\.collections4\\.(list|bag|bidimap|iterators|functors|queue|set)\\..*Test",
    })
    void theSameTestsPassFailAndSkipWithEveryMethodTracedByFunctionGraph(String suite, String testsJar, String include,
                                                                          String classNames) throws Exception {
        Path dir = Child.SUITES.resolve(suite);
        String cp;
        try (var s = Files.list(dir)) {
            cp = s.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toString)
                    .collect(Collectors.joining(java.io.File.pathSeparator));
        }
        Path out = Child.OUT.resolve("suites").resolve(suite);
        Run plain = run(null, cp, dir.resolve(testsJar), classNames, out.resolve("without"));
        Path report = out.resolve("agent-report.txt");
        Path trace = out.resolve("trace.txt");
        Run traced = run("include=" + include + ",tracer=function_graph,buffer_size_kb=64,report=" + report
                + ",output=" + trace, cp, dir.resolve(testsJar), classNames, out.resolve("with"));

        String summary = String.format(Locale.ROOT, "%s: %d tests; without jftrace %s in %.1f s; with function_graph %s in %.1f s",
                suite, plain.outcomes.size(), plain.counts, plain.child.millis / 1000.0, traced.counts, traced.child.millis / 1000.0);
        System.out.println(summary);
        Files.writeString(out.resolve("summary.txt"), summary + "\n" + Files.readString(report), StandardCharsets.UTF_8);

        assertThat(plain.counts.get("tests found")).as(plain.child.toString()).isGreaterThan(1000);
        assertThat(traced.counts).as("summary counts with jftrace").isEqualTo(plain.counts);
        assertThat(traced.outcomes).as("each test's outcome with jftrace").isEqualTo(plain.outcomes);

        // Tracing really happened: sites everywhere, and the trace holds the library's functions.
        String rep = Files.readString(report);
        assertThat(rep).contains("# classes left unchanged: 0");
        Matcher m = Pattern.compile("# methods with sites: (\\d+)").matcher(rep);
        assertThat(m.find()).isTrue();
        assertThat(Long.parseLong(m.group(1))).isGreaterThan(1000);
        String t = Files.readString(trace);
        assertThat(t).startsWith("# tracer: function_graph").contains(include.replace("*", ""));
        assertThat(traced.child.err).doesNotContain("jftrace:");
    }

    record Run(Child child, Map<String, Long> counts, Map<String, String> outcomes) {
    }

    static Run run(String agent, String cp, Path testsJar, String classNames, Path reports) throws Exception {
        Files.createDirectories(reports);
        try (var s = Files.list(reports)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        List<String> args = new ArrayList<>(List.of("-Xmx1g", "-jar",
                Child.SUITES.resolve("junit-platform-console-standalone-1.11.4.jar").toString(),
                "execute", "--disable-banner", "--disable-ansi-colors", "--details=summary",
                "--class-path", cp, "--scan-class-path", testsJar.toString(),
                "--include-classname", classNames, "--reports-dir", reports.toString()));
        Child c = Child.java(agent, 300, args);
        // exit 1 = some tests failed, which the untraced run may have too: the counts decide
        assertThat(c.exitCode).as(c.toString()).isIn(0, 1);
        return new Run(c, counts(c.out), outcomes(reports));
    }

    /** The launcher's summary: "[ 8081 tests successful ]" and the like. */
    static Map<String, Long> counts(String out) {
        Map<String, Long> m = new TreeMap<>();
        Matcher x = Pattern.compile("(?m)^\\[\\s+(\\d+) (tests|containers) (\\w+)\\s+\\]$").matcher(out);
        while (x.find()) {
            m.put(x.group(2) + " " + x.group(3), Long.parseLong(x.group(1)));
        }
        assertThat(m).as(out).containsKeys("tests successful", "tests failed", "tests skipped", "tests aborted");
        return m;
    }

    /** Each test (class and name, from the legacy XML reports) to passed, failed, error or skipped. */
    static Map<String, String> outcomes(Path reports) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (var s = Files.list(reports)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".xml")).toList()) {
                Document d = parse(p);
                NodeList cases = d.getElementsByTagName("testcase");
                for (int i = 0; i < cases.getLength(); i++) {
                    Element tc = (Element) cases.item(i);
                    String outcome = "passed";
                    for (Node k = tc.getFirstChild(); k != null; k = k.getNextSibling()) {
                        if (k instanceof Element e && List.of("failure", "error", "skipped").contains(e.getTagName())) {
                            outcome = e.getTagName() + (e.hasAttribute("type") ? " " + e.getAttribute("type") : "");
                        }
                    }
                    String key = tc.getAttribute("classname") + "#" + tc.getAttribute("name");
                    // parameterized and repeated tests can share a display name: count them
                    m.merge(key, outcome, (a, b) -> a + "," + b);
                }
            }
        }
        m.replaceAll((k, v) -> java.util.Arrays.stream(v.split(",")).sorted().collect(Collectors.joining(",")));
        return m;
    }

    private static Document parse(Path p) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            return f.newDocumentBuilder().parse(p.toFile());
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException(p + ": " + e, e);
        }
    }
}
