package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code jftrace attach} against running JVMs that were started without the agent. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AttachIT {

    static String pid(LoopJvm j) {
        return Long.toString(j.pid);
    }

    /** The JVM is as the first attach found it: no tracer, tracing off, no function enabled. */
    static void assertDetached(LoopJvm j) throws Exception {
        ChildJvm tracer = LoopJvm.jftrace(pid(j), "cat", "current_tracer");
        assertThat(tracer.out).as(tracer.toString()).isEqualTo("nop\n");
        assertThat(LoopJvm.jftrace(pid(j), "cat", "enabled_functions").out).isEmpty();
        assertThat(LoopJvm.jftrace(pid(j), "cat", "tracing_on").out).isEqualTo("0\n");
        assertThat(LoopJvm.jftrace(pid(j), "cat", "set_ftrace_filter").out).isEqualTo("#### all functions enabled ####\n");
    }

    @Test
    void attachTracesTheLoadedClassesThenDetachesAndASecondAttachReusesTheAgent() throws Exception {
        try (LoopJvm j = LoopJvm.start(List.of())) {
            ChildJvm r = LoopJvm.jftrace("attach", pid(j), "-p", "function_graph", "--include", "itest.*", "--duration", "1s");
            assertThat(r.exitCode).as(r.toString()).isZero();
            assertThat(r.out).contains("# tracer: function_graph").contains("itest.LoopApp.work() {")
                    .contains("itest.LoopApp.square();");
            assertThat(r.err).contains("jftrace: retransformed 1 classes in 1 batches").contains("agent loaded in");
            assertDetached(j);

            ChildJvm again = LoopJvm.jftrace("attach", pid(j), "-p", "function", "-l", "itest.LoopApp.square",
                    "--duration", "500ms");
            assertThat(again.exitCode).as(again.toString()).isZero();
            assertThat(again.err).contains("agent already there").contains("function on 1 functions");
            assertThat(again.out).contains("# tracer: function").contains("itest.LoopApp.square").doesNotContain("LoopApp.work");
            assertDetached(j);
            assertThat(j.stop()).contains(" ok true").doesNotContain("Exception");
        }
    }

    /** attach --data: the traced JVM streams the run to the file; report prints it; the JVM is left as found. */
    @Test
    void attachWithDataStreamsTheRunToAFileThatReportPrints(@TempDir Path tmp) throws Exception {
        try (LoopJvm j = LoopJvm.start(List.of())) {
            Path data = tmp.resolve("attach.jftrace");
            ChildJvm r = LoopJvm.jftrace("attach", pid(j), "-p", "function_graph", "-l", "itest.LoopApp.*",
                    "--duration", "1s", "--data", data.toString());
            assertThat(r.exitCode).as(r.toString()).isZero();
            assertThat(r.out).as("the records are in the file").doesNotContain("# tracer");
            assertThat(r.err).contains("jftrace: streaming the trace data to " + data.toAbsolutePath())
                    .containsPattern("jftrace: \\d+ events written to " + java.util.regex.Pattern.quote(data.toAbsolutePath().toString()));
            ChildJvm report = LoopJvm.jftrace("report", data.toString());
            assertThat(report.exitCode).as(report.toString()).isZero();
            assertThat(report.out).contains("# tracer: function_graph").contains("itest.LoopApp.square();");
            assertDetached(j);
            // a second attach may record again: the first recording was finished
            ChildJvm again = LoopJvm.jftrace("attach", pid(j), "-p", "function", "-l", "itest.LoopApp.square",
                    "--duration", "300ms", "--data", data.toString());
            assertThat(again.exitCode).as(again.toString()).isZero();
            assertThat(LoopJvm.jftrace("report", data.toString()).out).contains("# tracer: function\n")
                    .contains("itest.LoopApp.square");
            assertDetached(j);
        }
    }

    /**
     * Without an include, an attach plants only the classes its filter selects: 10 of 40 loaded
     * classes here, as the JVM's own log of redefined classes shows; the rest are only listed.
     */
    @Test
    void anAttachWithAOnePackageFilterRetransformsOnlyThatPackagesClasses(@TempDir Path tmp) throws Exception {
        Path classes = tmp.resolve("classes");
        compileGenerated(tmp.resolve("src"), classes, 40);
        Path log = tmp.resolve("redefined.log");
        try (LoopJvm j = LoopJvm.start(List.of("-Xlog:redefine+class+load=debug:file=" + log),
                "itest.ManyClassesApp", classes.toString(), "40")) {
            ChildJvm r = LoopJvm.jftrace("attach", pid(j), "-p", "function", "-l", "gen.C0000*", "--duration", "500ms");
            assertThat(r.exitCode).as(r.toString()).isZero();
            assertThat(r.err).contains("jftrace: retransformed 10 classes").contains("function on 20 functions");
            assertThat(r.out).contains("gen.C00003.applyAsInt").doesNotContain("gen.C00013");
            List<String> redefined = Files.readAllLines(log).stream().filter(l -> l.contains("loading name="))
                    .map(l -> l.replaceAll(".*loading name=(\\S+).*", "$1")).distinct().sorted().toList();
            assertThat(redefined).hasSize(10).allMatch(n -> n.matches("gen\\.C0000\\d"));
            // Every loaded class's functions are listed, planted or not.
            assertThat(LoopJvm.jftrace(pid(j), "cat", "available_filter_functions").out)
                    .contains("gen.C00039.applyAsInt(I)I").contains("gen.C00000.applyAsInt(I)I");
            assertDetached(j);
        }
    }

    /** Writes and compiles {@code n} classes gen.C00000... for {@link itest.ManyClassesApp}. */
    static void compileGenerated(Path src, Path classes, int n) throws Exception {
        Files.createDirectories(src.resolve("gen"));
        List<String> files = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String c = String.format("C%05d", i);
            Path f = src.resolve("gen").resolve(c + ".java");
            Files.writeString(f, "package gen; public final class " + c + " implements java.util.function.IntUnaryOperator {"
                    + " public int applyAsInt(int x) { return x * 31 + " + i + "; } }");
            files.add(f.toString());
        }
        List<String> args = new java.util.ArrayList<>(List.of("-d", classes.toString()));
        args.addAll(files);
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(new String[0]));
        assertThat(rc).isZero();
    }

    @Test
    void attachIntoAnInstanceLeavesTheTopLevelAlone(@TempDir Path tmp) throws Exception {
        try (LoopJvm j = LoopJvm.start(List.of())) {
            Path out = tmp.resolve("t.txt");
            ChildJvm r = LoopJvm.jftrace("attach", pid(j), "-B", "mine", "-p", "function", "-l", "*square",
                    "--duration", "500ms", "-o", out.toString());
            assertThat(r.exitCode).as(r.toString()).isZero();
            assertThat(Files.readString(out)).contains("itest.LoopApp.square");
            assertThat(LoopJvm.jftrace(pid(j), "cat", "instances").out).isEmpty();
            assertThat(LoopJvm.jftrace(pid(j), "cat", "enabled_functions").out).isEmpty();
            assertThat(LoopJvm.jftrace(pid(j), "cat", "tracing_on").out).isEqualTo("1\n"); // never touched
        }
    }

    @Test
    void aKilledAttachIsDetachedByTheJvmAndCtrlCPrintsTheTrace(@TempDir Path tmp) throws Exception {
        try (LoopJvm j = LoopJvm.start(List.of())) {
            File out = tmp.resolve("out").toFile();
            File err = tmp.resolve("err").toFile();
            Process p = LoopJvm.jftraceAsync(out, err, "attach", pid(j), "-p", "function", "--include", "itest.*");
            awaitContains(err.toPath(), "Ctrl-C to stop", p);
            p.destroyForcibly(); // SIGKILL: no hook runs; the JVM sees the session's connection close
            p.waitFor(10, TimeUnit.SECONDS);
            awaitNop(j);
            assertDetached(j);

            Process q = LoopJvm.jftraceAsync(out, err, "attach", pid(j), "-p", "function", "--include", "itest.*");
            awaitContains(err.toPath(), "Ctrl-C to stop", q);
            ControlIT.awaitCat(j, "trace", "itest.LoopApp.work"); // something to print
            q.destroy(); // SIGTERM, as Ctrl-C: the hook prints the trace and detaches
            assertThat(q.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(out.toPath())).contains("# tracer: function").contains("itest.LoopApp.work");
            assertDetached(j);
            assertThat(j.stop()).contains(" ok true");
        }
    }

    @Test
    void badInputIsOneLineAndANonZeroExitAndTheJvmKeepsItsSettings() throws Exception {
        ChildJvm none = LoopJvm.jftrace("attach", "999999999", "--duration", "1s");
        assertOneLineError(none, "jftrace: no process with pid 999999999");

        try (LoopJvm j = LoopJvm.start(List.of())) {
            assertOneLineError(LoopJvm.jftrace(pid(j), "cat", "trace"), "jftrace: JVM " + j.pid + " has no jftrace agent");
            assertOneLineError(LoopJvm.jftrace("attach", pid(j), "-p", "functon", "--duration", "1s"),
                    "jftrace: current_tracer: unknown tracer 'functon' (available: function function_graph nop)");
            assertOneLineError(LoopJvm.jftrace("attach", pid(j), "-l", "foo[ab", "--duration", "1s"),
                    "jftrace: set_ftrace_filter: bad glob 'foo[ab'");
            assertOneLineError(LoopJvm.jftrace("attach", pid(j), "--include", "itest.*", "-O", "nosuchoption", "--duration", "1s"),
                    "jftrace: trace_options: unknown option 'nosuchoption'");
            assertOneLineError(LoopJvm.jftrace(pid(j), "cat", "no_such_file"), "jftrace: no such file 'no_such_file'");
            assertThat(LoopJvm.jftrace(pid(j), "cat", "current_tracer").out).isEqualTo("nop\n");
            assertThat(LoopJvm.jftrace(pid(j), "cat", "enabled_functions").out).isEmpty();
            assertThat(LoopJvm.jftrace(pid(j), "cat", "instances").out).isEmpty(); // no scratch instance left

            // busy: someone traces the top level already
            assertThat(LoopJvm.jftrace(pid(j), "write", "current_tracer", "function").exitCode).isZero();
            assertOneLineError(LoopJvm.jftrace("attach", pid(j), "--duration", "1s"), "jftrace: the JVM is already tracing");
            assertThat(LoopJvm.jftrace(pid(j), "cat", "current_tracer").out).isEqualTo("function\n");
            assertThat(LoopJvm.jftrace(pid(j), "write", "current_tracer", "nop").exitCode).isZero();
            assertThat(j.stop()).contains(" ok true");
        }
        try (LoopJvm j = LoopJvm.start(List.of("-XX:+DisableAttachMechanism"))) {
            assertOneLineError(LoopJvm.jftrace("attach", pid(j), "--duration", "1s"), "jftrace: cannot attach to JVM " + j.pid);
            assertThat(j.stop()).contains(" ok true");
        }
    }

    static void assertOneLineError(ChildJvm r, String prefix) {
        assertThat(r.exitCode).as(r.toString()).isNotZero();
        assertThat(r.err.lines().toList()).as(r.toString()).hasSize(1);
        assertThat(r.err).startsWith(prefix);
        assertThat(r.out).as(r.toString()).isEmpty();
    }

    static void awaitContains(Path file, String text, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("exited " + p.exitValue() + ": " + Files.readString(file));
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new AssertionError("no '" + text + "' in 60 s: " + Files.readString(file));
    }

    static void awaitNop(LoopJvm j) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (LoopJvm.jftrace(pid(j), "cat", "current_tracer").out.equals("nop\n")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the JVM did not detach the killed session in 10 s");
    }
}
