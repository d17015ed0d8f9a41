package org.jftrace.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * In real JVMs: {@code -javaagent:jftrace.jar=OPTIONS} with random and mutated
 * options, a bounded number of times. The application always runs to its end with the same result; a
 * bad option gives exactly one line on stderr naming it, and then tracing is off (no tracer, no
 * transformer). (AgentOptionsFuzzTest fuzzes the same code in-process thousands of times.)
 */
class AgentOptionsIT {

    static final List<String> KEYS = List.of("include", "exclude", "filter", "notrace", "graph_function", "graph_notrace",
            "trace_options", "tracer", "clock", "buffer_size_kb", "max_graph_depth", "tracing_thresh", "pid", "verbose",
            "report", "output", "nosuch");

    @Provide
    Arbitrary<String> options() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("function", "function_graph", "nop", "counter", "64", "0",
                "-1", "x", "stress.*", "stress.fixture.Hot.*;org.*", "[", "main", "funcgraph-tail", "nooverwrite", "bogus",
                "9999", "*:mod:nosuch", "out-%p.txt"), Fuzz.filterToken());
        Arbitrary<String> pair = Combinators.combine(Arbitraries.of(KEYS), value).as((k, v) -> k + "=" + v);
        Arbitrary<String> valid = pair.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(",", l));
        // No line breaks: a command line rarely has them, and their echo is a known bug (see AgentOptionsFuzzTest).
        return Arbitraries.oneOf(valid, Fuzz.mutated(valid)).filter(Fuzz::noBreaks).filter(s -> s.indexOf('\0') < 0);
    }

    static String expectedWork() {
        long s = 0;
        for (int i = 0; i < 1000; i++) {
            int n = i % 9;
            int w = 0;
            for (int j = 0; j < n; j++) {
                w += (j * 31) ^ (j >>> 3);
            }
            s += w + ((n & 1) == 0 ? -1 : n) + i + 1;
        }
        return "probe work " + s;
    }

    @Property(tries = 12, shrinking = ShrinkingMode.OFF, seed = "20261124")
    void theApplicationRunsAndABadOptionGetsOneLineAndNoTracing(@ForAll("options") String options) throws Exception {
        Path cwd = Child.OUT.resolve("options-cwd");
        Files.createDirectories(cwd);
        List<String> cmd = List.of(Child.java(), "-javaagent:" + Child.JAR + "=" + options, "-cp", Child.TEST_CLASSES.toString(),
                OptionsProbe.class.getName());
        Child c = Child.exec(cmd, 120, cwd);
        assertThat(c.exitCode).as(c.toString()).isZero();
        assertThat(c.out).as(c.toString()).contains(expectedWork()).contains("probe ok");
        List<String> complaints = c.err.lines().filter(l -> l.startsWith("jftrace:")).toList();
        assertThat(complaints).as(c.toString()).hasSizeLessThanOrEqualTo(1);
        if (!complaints.isEmpty() && complaints.get(0).endsWith("tracing is off")) {
            assertThat(c.out).as(c.toString()).contains("setting current_tracer = nop\\n").contains("agent running false");
        }
    }
}
