package org.jftrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.jftrace.reliability.Fuzz;
import org.jftrace.trace.Tracefs;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated agent options ({@code -javaagent:jftrace.jar=OPTIONS}), through
 * the agent's own code: {@link AgentOptions#parse}, the {@link ClassSelector} built from
 * include/exclude, and the control-file writes the agent makes from them. The only exception is
 * IllegalArgumentException with a one-line message. (AgentOptionsIT starts real JVMs with such
 * options.)
 */
class AgentOptionsFuzzTest {

    static final List<String> KEYS = List.of("include", "exclude", "filter", "notrace", "graph_function", "graph_notrace",
            "trace_options", "tracer", "clock", "buffer_size_kb", "max_graph_depth", "tracing_thresh", "pid", "verbose",
            "instance", "control", "report", "output", "nosuch", "");

    @Provide
    Arbitrary<String> options() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("function", "function_graph", "nop", "mono", "counter",
                "64", "0", "-1", "3", "x", "com.acme.*", "com.acme.*;org.*", "[", "!", "main", "funcgraph-tail",
                "nooverwrite", "bogus", "9999", "*:mod:nosuch"), Fuzz.filterToken(), Fuzz.anyText());
        Arbitrary<String> pair = Combinators.combine(Arbitraries.of(KEYS), value, Arbitraries.of("=", "", "==", "= "))
                .as((k, v, eq) -> eq.isEmpty() ? k : k + eq + v);
        Arbitrary<String> valid = pair.list().ofMaxSize(5).map(l -> String.join(",", l));
        return Arbitraries.oneOf(valid, Fuzz.mutated(valid), Fuzz.anyText());
    }

    @Property(tries = 3000)
    void parseAndClassSelectorThrowOnlyIllegalArgumentWithOneLine(@ForAll("options") String text) {
        AgentOptions o;
        try {
            o = AgentOptions.parse(text);
        } catch (IllegalArgumentException e) {
            assertThat(e.getClass()).isEqualTo(IllegalArgumentException.class);
            assertThat(e.getMessage()).isNotBlank();
            if (Fuzz.noBreaks(text)) {
                assertThat(Fuzz.oneLine(e.getMessage())).as("message %s", e.getMessage()).isTrue();
            }
            return;
        }
        try {
            ClassSelector s = new ClassSelector(o.list("include"), o.list("exclude"));
            s.selects(AgentOptionsFuzzTest.class.getClassLoader(), "com/acme/Foo");
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
            if (Fuzz.noBreaks(text)) {
                assertThat(Fuzz.oneLine(e.getMessage())).as("message %s", e.getMessage()).isTrue();
            }
        }
    }

    static final Method APPLY;

    static {
        try {
            APPLY = Agent.class.getDeclaredMethod("applyTracefsOptions", AgentOptions.class);
            APPLY.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static Map<String, String> settings() {
        Tracefs fs = Tracefs.jvm();
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : List.of("current_tracer", "tracing_on", "set_ftrace_filter", "set_ftrace_notrace", "set_graph_function",
                "set_graph_notrace", "max_graph_depth", "tracing_thresh", "set_ftrace_pid", "buffer_size_kb", "trace_clock",
                "trace_options")) {
            m.put(f, fs.read(f));
        }
        return m;
    }

    @AfterContainer
    static void stop() {
        Tracefs.jvm().write("current_tracer", "nop", false);
    }

    /**
     * Applies options the way the agent does at startup, to this JVM's control files: it either
     * applies or fails with a one-line IllegalArgumentException. (That a failure may leave earlier
     * options applied is {@link #aBadOptionLeavesTheSettingsAsTheyWere}.)
     */
    @Property(tries = 1500)
    void applyingOptionsThrowsOnlyIllegalArgumentWithOneLine(@ForAll("options") String text) throws Exception {
        AgentOptions o;
        try {
            o = AgentOptions.parse(text);
        } catch (IllegalArgumentException e) {
            return;
        }
        try {
            APPLY.invoke(null, o);
        } catch (InvocationTargetException ite) {
            Throwable e = ite.getCause();
            assertThat(e).as("options %s", text).isInstanceOf(IllegalArgumentException.class);
            assertThat(e.getMessage()).isNotBlank();
            if (Fuzz.noBreaks(text)) {
                assertThat(Fuzz.oneLine(e.getMessage())).as("message %s", e.getMessage()).isTrue();
            }
        } finally {
            Tracefs.jvm().write("current_tracer", "nop", false);
        }
    }

    @Test
    void aBadOptionHoldingALineBreakGetsAOneLineMessage() {
        try {
            AgentOptions.parse("a\nb");
        } catch (IllegalArgumentException e) {
            assertThat(Fuzz.oneLine(e.getMessage())).as(e.getMessage()).isTrue();
        }
    }

    /** README: "A bad option prints one line naming it, and the agent then changes nothing." */
    @Test
    void aBadOptionLeavesTheSettingsAsTheyWere() throws Exception {
        Map<String, String> before = settings();
        AgentOptions o = AgentOptions.parse("buffer_size_kb=8,clock=counter,max_graph_depth=3,filter=999999");
        try {
            APPLY.invoke(null, o);
        } catch (InvocationTargetException expected) {
            assertThat(expected.getCause()).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(settings()).isEqualTo(before);
    }
}
