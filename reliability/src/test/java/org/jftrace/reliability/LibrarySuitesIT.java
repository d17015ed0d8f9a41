package org.jftrace.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Real libraries' own test suites, from their published {@code tests} jars, run by the
 * JUnit Platform console launcher in a child JVM without jftrace and again with every method of the
 * library and of its tests traced by function_graph, and once more with the JDK's collections and I/O
 * ({@code java.util}, {@code java.io}) given sites and traced as well. Every test must end the same
 * way: the same counts of passed, failed and skipped tests, and the same outcome for each test.
 *
 * <p>A subset of each suite's test classes runs (the class-name pattern below) to keep the run to tens
 * of seconds; docs/reliability.md says which and why.
 */
class LibrarySuitesIT {

    /** The suite's directory under target/suites, its tests jar, the library's package, the test classes to run. */
    static Stream<Arguments> suites() {
        return Stream.of(
                // commons-lang3 3.17.0 (JUnit 5). Its whole suite takes over 5 minutes here, and once any test
                // leaves a ToStringStyle registered, AbstractLangTest fails every later test: a subset.
                Arguments.of("commons-lang3", "commons-lang3-3.17.0-tests.jar", "org.apache.commons.lang3.*",
                        "org\\.apache\\.commons\\.lang3\\.(StringUtils.*|ArrayUtils.*|math\\..*|mutable\\..*|tuple\\..*|CharUtils.*"
                                + "|BooleanUtils.*|ObjectUtils.*|Validate.*|text\\.translate\\..*|text\\.StrBuilder.*"
                                + "|builder\\.(Equals|HashCode|CompareTo)Builder.*)Test"),
                // commons-collections4 4.4 (JUnit 4, by the vintage engine): 70,488 tests take a minute
                // untraced; seven packages' 8,081 tests.
                Arguments.of("commons-collections4", "commons-collections4-4.4-tests.jar", "org.apache.commons.collections4.*",
                        "org\\.apache\\.commons\\.collections4\\.(list|bag|bidimap|iterators|functors|queue|set)\\..*Test"));
    }

    /** Each suite's run without jftrace, made once for both comparisons. */
    private static final Map<String, Run> UNTRACED = new HashMap<>();

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void theSameTestsPassFailAndSkipWithEveryMethodTracedByFunctionGraph(String suite, String testsJar, String include,
                                                                          String classNames) throws Exception {
        Path dir = Child.SUITES.resolve(suite);
        Path out = Child.OUT.resolve("suites").resolve(suite);
        Run plain = untraced(suite, testsJar, classNames);
        Path report = out.resolve("agent-report.txt");
        Path trace = out.resolve("trace.txt");
        Run traced = run("include=" + include + ",tracer=function_graph,buffer_size_kb=64,report=" + report
                + ",output=" + trace, classPath(dir), dir.resolve(testsJar), classNames, out.resolve("with"));

        String summary = String.format(Locale.ROOT, "%s: %d tests; without jftrace %s in %.1f s; with function_graph %s in %.1f s",
                suite, plain.outcomes.size(), plain.counts, plain.child.millis / 1000.0, traced.counts, traced.child.millis / 1000.0);
        System.out.println(summary);
        Files.writeString(out.resolve("summary.txt"), summary + "\n" + Files.readString(report), StandardCharsets.UTF_8);

        assertThat(traced.counts).as("summary counts with jftrace").isEqualTo(plain.counts);
        assertThat(traced.outcomes).as("each test's outcome with jftrace").isEqualTo(plain.outcomes);

        // Tracing really happened: sites everywhere, and the trace holds the library's functions.
        String rep = Files.readString(report);
        assertThat(rep).contains("# classes left unchanged: 0");
        assertThat(count(rep, "# methods with sites: ")).isGreaterThan(1000);
        String t = Files.readString(trace);
        assertThat(t).startsWith("# tracer: function_graph").contains(include.replace("*", ""));
        assertThat(traced.child.err).doesNotContain("jftrace:");
    }

    /**
     * As above, with {@code java.util.*} and {@code java.io.*} included too: each JDK class the suite
     * loads in those packages (the notrace list's aside) has sites, including those loaded before the
     * agent, and every call of one runs its entry and exit through the function_graph callbacks, from
     * the launcher, the library and the tests alike.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void theSameTestsPassFailAndSkipWithJavaUtilAndJavaIoTracedToo(String suite, String testsJar, String include,
                                                                   String classNames) throws Exception {
        Path dir = Child.SUITES.resolve(suite);
        Path out = Child.OUT.resolve("suites").resolve(suite).resolve("jdk");
        Run plain = untraced(suite, testsJar, classNames);
        Path report = out.resolve("agent-report.txt");
        Path trace = out.resolve("trace.txt");
        // graph_function records only the calls made inside the library's and its tests' functions; the
        // others still run their sites and callbacks (the graph filter is applied in the callback, as in
        // the kernel). Without it, the launcher's own JDK calls as it writes its reports are the last
        // records of the 64 KB buffers, and the library's calls are overwritten. Tracing the JDK as well
        // about doubles the traced run's time (collections4 on JDK 17: 45 s against 26 s), hence the
        // same subsets (docs/reliability.md).
        Run traced = run("include=" + include + ",include=java.util.*,include=java.io.*,tracer=function_graph,graph_function="
                + include + ",buffer_size_kb=64,report=" + report + ",output=" + trace,
                classPath(dir), dir.resolve(testsJar), classNames, out.resolve("with"));

        String t = Files.readString(trace);
        Set<String> libraryClasses = classesOf(dir.resolve(testsJar.replace("-tests.jar", ".jar")));
        long utilUnderLibrary = callsUnder(t, libraryClasses, "java.util.");
        long ioUnderLibrary = callsUnder(t, libraryClasses, "java.io.");
        String rep = Files.readString(report);
        String summary = String.format(Locale.ROOT, "%s: %d tests; without jftrace %s in %.1f s; with %s and java.util, java.io"
                        + " traced by function_graph %s in %.1f s; %d JDK methods with sites; in the trace, %d java.util and %d"
                        + " java.io calls made by the library's own functions",
                suite, plain.outcomes.size(), plain.counts, plain.child.millis / 1000.0, include, traced.counts,
                traced.child.millis / 1000.0, count(rep, "# JDK methods with sites: "), utilUnderLibrary, ioUnderLibrary);
        System.out.println(summary);
        Files.writeString(out.resolve("summary.txt"), summary + "\n" + rep, StandardCharsets.UTF_8);

        assertThat(traced.counts).as("summary counts with java.util and java.io traced").isEqualTo(plain.counts);
        assertThat(traced.outcomes).as("each test's outcome with java.util and java.io traced").isEqualTo(plain.outcomes);
        assertThat(traced.child.err).doesNotContain("jftrace:");

        // JDK methods have sites, none failed the site check, and the only classes left unchanged are
        // the JDK's hidden classes (lambdas) loaded before the agent, which the JVM cannot transform.
        assertThat(count(rep, "# JDK methods with sites: ")).isGreaterThan(2000);
        assertThat(rep).doesNotContain("failed the site check");
        assertThat(leftUnchanged(rep)).allSatisfy((c, why) -> assertThat(why).startsWith("not modifiable (a hidden class"));
        // The trace holds JDK calls nested under the library's own functions (not only its tests').
        assertThat(t).startsWith("# tracer: function_graph");
        assertThat(utilUnderLibrary).as("java.util calls made by %s's functions, in the trace", suite).isPositive();
    }

    private static synchronized Run untraced(String suite, String testsJar, String classNames) throws Exception {
        Run r = UNTRACED.get(suite);
        if (r == null) {
            Path dir = Child.SUITES.resolve(suite);
            r = run(null, classPath(dir), dir.resolve(testsJar), classNames,
                    Child.OUT.resolve("suites").resolve(suite).resolve("without"));
            assertThat(r.counts.get("tests found")).as(r.child.toString()).isGreaterThan(1000);
            UNTRACED.put(suite, r);
        }
        return r;
    }

    private static String classPath(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toString)
                    .collect(Collectors.joining(java.io.File.pathSeparator));
        }
    }

    static long count(String report, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + "(\\d+)$").matcher(report);
        assertThat(m.find()).as(label + " in\n" + report).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The report's classes left unchanged, each with its reason. */
    static Map<String, String> leftUnchanged(String report) {
        Map<String, String> m = new TreeMap<>();
        boolean in = false;
        for (String l : report.lines().toList()) {
            if (l.startsWith("#")) {
                in = l.startsWith("# classes left unchanged: ");
            } else if (in) {
                int tab = l.indexOf('\t');
                m.put(l.substring(0, tab), l.substring(tab + 1));
            }
        }
        return m;
    }

    /** The dotted names of a jar's classes. */
    static Set<String> classesOf(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.stream().map(JarEntry::getName).filter(n -> n.endsWith(".class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.')).collect(Collectors.toSet());
        }
    }

    /** A function_graph line: {@code BUF) [DURATION] |  INDENT name() {}, {@code name();} or a closing brace. */
    private static final Pattern GRAPH_LINE = Pattern.compile("^\\s*(\\d+)\\)[^|]*\\|  ((?:  )*)(\\S.*)$");

    /**
     * How many calls of functions named {@code prefix}... the trace shows made directly by a function of
     * one of {@code callers}' classes: each buffer's lines are read back to their nesting.
     */
    static long callsUnder(String trace, Set<String> callers, String prefix) {
        Map<String, List<String>> open = new HashMap<>(); // per buffer: the function open at each depth
        long n = 0;
        for (String l : trace.lines().toList()) {
            Matcher m = GRAPH_LINE.matcher(l);
            if (!m.matches()) {
                continue;
            }
            List<String> stack = open.computeIfAbsent(m.group(1), k -> new ArrayList<>());
            int depth = m.group(2).length() / 2;
            String what = m.group(3);
            if (what.startsWith("}")) {
                continue;
            }
            int paren = what.indexOf("()");
            if (paren < 0) {
                continue;
            }
            String fn = what.substring(0, paren);
            // The buffer may begin inside calls whose entries were overwritten: their depths are unknown.
            String parent = depth > 0 && depth <= stack.size() ? stack.get(depth - 1) : null;
            if (parent != null && fn.startsWith(prefix) && callers.contains(parent.substring(0, parent.lastIndexOf('.')))) {
                n++;
            }
            if (what.endsWith("{")) {
                while (stack.size() > depth) {
                    stack.remove(stack.size() - 1);
                }
                while (stack.size() < depth) {
                    stack.add(null);
                }
                stack.add(fn);
            }
        }
        return n;
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
