package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jftrace record} end to end, and golden ftrace text output with the counter clock. */
class RecordCommandIT {

    static ChildJvm jftrace(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ChildJvm.java(), "-jar", ChildJvm.JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        return ChildJvm.exec(cmd);
    }

    static String golden(String name) throws Exception {
        return Files.readString(Path.of(RecordCommandIT.class.getResource("/golden/" + name).toURI()));
    }

    /** The main thread's id differs between JDKs (1 on 17, 3 on 25): compare the TASK-PID column by name. */
    static String normalizePid(String trace) {
        return trace.replaceAll("(?m)^(\\s*\\S+)-\\d+\\s+\\[", "$1-PID [");
    }

    @Test
    void functionGraphOutputMatchesTheGoldenFile(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("trace.txt");
        ChildJvm r = jftrace("record", "--clock", "counter", "-p", "function_graph", "--include", "itest.GoldenApp",
                "-O", "funcgraph-retval", "-o", out.toString(), "--",
                ChildJvm.java(), "-cp", ChildJvm.TEST_CLASSES.toString(), "itest.GoldenApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("total 16");
        assertThat(Files.readString(out)).isEqualTo(golden("function_graph.txt"));
    }

    @Test
    void functionOutputMatchesTheGoldenFile(@TempDir Path tmp) throws Exception {
        ChildJvm r = jftrace("record", "--clock", "counter", "-p", "function", "--include", "itest.GoldenApp",
                "-l", "itest.GoldenApp.step itest.GoldenApp.f*", "--",
                ChildJvm.java(), "-cp", ChildJvm.TEST_CLASSES.toString(), "itest.GoldenApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        String trace = r.out.substring(r.out.indexOf("# tracer:"));
        assertThat(normalizePid(trace)).isEqualTo(normalizePid(golden("function.txt")));
    }

    @Test
    void graphFunctionAndMaxDepthLimitTheGraph(@TempDir Path tmp) throws Exception {
        ChildJvm r = jftrace("record", "--clock", "counter", "--include", "itest.GoldenApp", "-g", "itest.GoldenApp.step",
                "--max-depth", "2", "-O", "funcgraph-tail", "--",
                ChildJvm.java(), "-cp", ChildJvm.TEST_CLASSES.toString(), "itest.GoldenApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        String trace = r.out.substring(r.out.indexOf("# tracer:"));
        assertThat(trace).doesNotContain("GoldenApp.main").contains("|  itest.GoldenApp.step() {")
                .contains("|    itest.GoldenApp.fact();").contains("} /* itest.GoldenApp.step */");
        assertThat(trace.lines().filter(l -> l.contains("fact")).count()).as(trace).isEqualTo(2);
    }

    @Test
    void unknownTracerIsAOneLineErrorAndTheProgramRunsUntraced() throws Exception {
        ChildJvm r = jftrace("record", "-p", "functon", "--", ChildJvm.java(), "-cp", ChildJvm.TEST_CLASSES.toString(),
                "itest.GoldenApp");
        assertThat(r.err).contains("jftrace: current_tracer: unknown tracer 'functon' (available: function function_graph nop); tracing is off");
        assertThat(r.out).contains("total 16");
    }

    @Test
    void badFilterNamesTheBadToken() throws Exception {
        ChildJvm r = jftrace("record", "-l", "foo[ab", "--", ChildJvm.java(), "-cp", ChildJvm.TEST_CLASSES.toString(),
                "itest.GoldenApp");
        assertThat(r.err).contains("jftrace: set_ftrace_filter: bad glob 'foo[ab'");
        assertThat(r.out).contains("total 16");
    }
}
