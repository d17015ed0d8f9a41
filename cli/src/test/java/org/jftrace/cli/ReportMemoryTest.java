package org.jftrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code jftrace report} of a trace of 2 million calls (4 million records: the old in-memory reader
 * needed about 1.6 GB for it) in a child JVM limited to 256 MB of heap, for every format.
 */
class ReportMemoryTest {

    static final long CALLS = 2_000_000;
    static final int THREADS = 4;

    @TempDir
    static Path tmp;
    static Path trace;

    @BeforeAll
    static void writeTrace() throws Exception {
        trace = tmp.resolve("large.jftrace");
        Samples.large(trace, THREADS, CALLS / THREADS, 4096, 50);
    }

    static final class Child {
        int code;
        String err;
    }

    static Child report(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "report"));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(new File("/dev/null")).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("report finished in 120 s: %s", cmd).isTrue();
        Child c = new Child();
        c.code = p.exitValue();
        c.err = Files.readString(err, StandardCharsets.UTF_8);
        return c;
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "chrome-json", "perfetto", "trace-dat", "folded", "html", "jfr"})
    void largeTraceConvertsIn256MbOfHeap(String format) throws Exception {
        Path out = tmp.resolve("out." + format);
        Child c = report("-f", format, "--folded-weight", "calls", "-o", out.toString(), trace.toString());
        assertThat(c.code).as(c.err).isZero();
        assertThat(c.err).doesNotContain("OutOfMemoryError");
        switch (format) {
            case "folded": {
                long calls = 0;
                for (String l : Files.readAllLines(out)) {
                    calls += Long.parseLong(l.substring(l.lastIndexOf(' ') + 1));
                }
                assertThat(calls).isEqualTo(CALLS);
                assertThat(c.err).contains("were lost");
                break;
            }
            case "jfr":
                assertThat(c.err).contains("wrote " + CALLS + " jftrace.FunctionCall events");
                break;
            case "perfetto":
                assertThat(c.err).contains(String.format(java.util.Locale.ROOT, "wrote %,d slices", CALLS));
                break;
            case "trace-dat":
                assertThat(c.err).contains(String.format(java.util.Locale.ROOT, "wrote %,d events", CALLS * 2));
                assertThat(Files.size(out) % 4096).as("page-aligned CPU data").isZero();
                break;
            case "text": {
                long lost;
                try (var lines = Files.lines(out)) {
                    lost = lines.filter(l -> l.startsWith("CPU:")).count();
                }
                long blocksPerThread = (CALLS / THREADS * 2 + 4095) / 4096; // a call is two records
                assertThat(lost).as("LOST lines: one every 50 blocks of each buffer").isEqualTo(blocksPerThread / 50 * THREADS);
                break;
            }
            default:
                assertThat(Files.size(out)).isGreaterThan(1000);
        }
    }
}
