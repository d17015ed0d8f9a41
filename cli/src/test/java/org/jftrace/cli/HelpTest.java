package org.jftrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HelpTest {

    static String help(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(Main.run(args)).isZero();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The "Commands:" section: each command's text with the wrapping undone. */
    static Map<String, String> commands(String help) {
        Map<String, String> rows = new LinkedHashMap<>();
        String name = null;
        for (String line : help.substring(help.indexOf("Commands:\n") + 10).split("\n")) {
            if (line.matches("  \\S.*")) {
                String[] nameAndText = line.strip().split("\\s+", 2);
                name = nameAndText[0];
                rows.put(name, nameAndText[1]);
            } else if (name != null && !line.isBlank()) {
                rows.put(name, rows.get(name) + " " + line.strip());
            }
        }
        return rows;
    }

    @Test
    void theOverviewShowsWholeFirstSentences() {
        Map<String, String> rows = commands(help("--help"));
        assertThat(rows.keySet()).containsExactly("demo", "record", "attach", "list", "control", "report");
        assertThat(rows.get("attach")).isEqualTo("Trace a running JVM: load the agent, instrument the loaded classes,"
                + " trace until Ctrl-C or --duration, print the trace, then switch tracing off again.");
        assertThat(rows.get("control")).isEqualTo("Read and write the tracefs files of a running JVM"
                + " (jftrace PID VERB ... is short for jftrace control PID VERB ...).");
        assertThat(rows.get("report")).isEqualTo("Print or convert trace data written by 'jftrace record --data FILE'.");
        assertThat(rows.values()).allSatisfy(text -> assertThat(text).endsWith("."));

        Map<String, String> control = commands(help("control", "--help"));
        assertThat(control.get("cat")).isEqualTo("Print FILE. trace_pipe (or instances/NAME/trace_pipe) streams and"
                + " consumes the trace until Ctrl-C, --duration or --count.");
        assertThat(control.values()).allSatisfy(text -> assertThat(text).endsWith("."));
    }

    @Test
    void aSentenceEndsAtAFullStopBeforeACapitalNotInAnEllipsis() {
        assertThat(CommandListRenderer.firstSentence("One two.\n  Three.")).isEqualTo("One two.");
        assertThat(CommandListRenderer.firstSentence("Stop after this long (e.g. 10s). Then")).isEqualTo("Stop after this long (e.g. 10s).");
        assertThat(CommandListRenderer.firstSentence("VERB ... Is short ... for it. Next")).isEqualTo("VERB ... Is short ... for it.");
        assertThat(CommandListRenderer.firstSentence("No full stop at all")).isEqualTo("No full stop at all");
    }
}
