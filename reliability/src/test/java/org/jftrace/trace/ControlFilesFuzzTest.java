package org.jftrace.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.reliability.Fuzz;

/**
 * Random and mutated writes to every control file (of the top level and of an
 * instance). The only exception is {@link TracefsException} with a one-line message, and a failing
 * write changes no setting: every settings file reads the same before and after it.
 */
class ControlFilesFuzzTest {

    static final Tracefs FS = new Tracefs();

    static {
        FS.mkdirInstance("fz");
        for (int i = 0; i < 8; i++) {
            Ftrace.addFunction(ControlFilesFuzzTest.class.getClassLoader(), "fuzz/Control" + (i % 2), "m" + i, "()V",
                    false, "fuzz-c", false);
        }
    }

    @AfterContainer
    static void stop() {
        for (String root : List.of("", "instances/fz/")) {
            FS.write(root + "current_tracer", "nop", false);
            FS.write(root + "function_profile_enabled", "0", false);
        }
        FS.top().commands.clear();
    }

    /** Every file a user could write, at the top and in an instance, and a few that do not exist. */
    static List<String> files() {
        List<String> files = new ArrayList<>();
        for (String root : List.of("", "instances/fz/")) {
            for (String f : Tracefs.FILES) {
                files.add(root + f);
            }
            for (String o : TraceOptions.names()) {
                files.add(root + "options/" + o);
            }
            files.add(root + "options/nosuch");
        }
        files.addAll(List.of("nosuch", "instances/nosuch/current_tracer", "/current_tracer", "instances", "trace_stat"));
        return files;
    }

    /** The files that hold settings, read to compare before and after a failing write. */
    static Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String root : List.of("", "instances/fz/")) {
            for (String f : List.of("current_tracer", "tracing_on", "set_ftrace_filter", "set_ftrace_notrace",
                    "set_graph_function", "set_graph_notrace", "max_graph_depth", "tracing_thresh", "set_ftrace_pid",
                    "buffer_size_kb", "trace_clock", "trace_options", "function_profile_enabled")) {
                m.put(root + f, FS.read(root + f));
            }
            for (String o : TraceOptions.names()) {
                m.put(root + "options/" + o, FS.read(root + "options/" + o));
            }
        }
        m.put("instances", FS.read("instances"));
        m.put("enabled_functions", FS.read("enabled_functions"));
        return m;
    }

    @Provide
    Arbitrary<String> file() {
        return Arbitraries.oneOf(Arbitraries.of(files()), Fuzz.mutated(Arbitraries.of(files())));
    }

    @Provide
    Arbitrary<String> value() {
        Arbitrary<String> plausible = Arbitraries.of("0", "1", "2", "-1", "nop", "function", "function_graph", "mono",
                "counter", "64", "1048577", "99999999999999999999", "overwrite", "nooverwrite", "funcgraph-tail",
                "nofuncgraph-tail", "nosuch", "main", "1 2 3", "worker-*", "[", "", " ", "fuzz.Control0.*",
                "fuzz.Control1.m1:traceoff:1", "*:mod:fuzz-c", "!:mod:nope", "9999");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, plausible),
                net.jqwik.api.Tuple.of(3, Fuzz.mutated(plausible)),
                net.jqwik.api.Tuple.of(4, Fuzz.filterInput()));
    }

    @Property(tries = 4000)
    void aWriteSucceedsOrFailsWithOneLineAndAFailedWriteChangesNoSetting(@ForAll("file") String file,
                                                                          @ForAll("value") String value,
                                                                          @ForAll boolean append) {
        Map<String, String> before = settings();
        try {
            FS.write(file, value, append);
        } catch (TracefsException e) {
            assertThat(e.getMessage()).isNotBlank();
            if (Fuzz.noBreaks(file, value)) {
                assertThat(Fuzz.oneLine(e.getMessage())).as("message of write(%s, %s): %s", file, value, e.getMessage()).isTrue();
            }
            assertThat(settings()).as("settings after the failed write(%s, %s)", file, value).isEqualTo(before);
        }
    }

    @Property(tries = 1000)
    void aReadOfAnyPathReturnsOrFailsWithOneLine(@ForAll("file") String file) {
        try {
            FS.read(file);
        } catch (TracefsException e) {
            assertThat(e.getMessage()).isNotBlank();
            if (Fuzz.noBreaks(file)) {
                assertThat(Fuzz.oneLine(e.getMessage())).as("message of read(%s): %s", file, e.getMessage()).isTrue();
            }
        }
    }

    @org.junit.jupiter.api.Test
    void errorMessagesStayOneLineWhenTheBadTokenHoldsALineBreak() {
        for (String[] w : new String[][] {{"current_tracer", "a\nb"}, {"trace_options", "no\nsuch"}, {"x\ny", "1"},
                {"set_ftrace_pid", "[\n"}, {"max_graph_depth", "1\n2"}}) {
            try {
                FS.write(w[0], w[1], false);
            } catch (TracefsException e) {
                assertThat(Fuzz.oneLine(e.getMessage())).as(e.getMessage()).isTrue();
            }
        }
    }
}
