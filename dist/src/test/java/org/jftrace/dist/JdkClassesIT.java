package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JDK classes get sites from an {@code include} that names their packages: traced like any others,
 * never the ones on the notrace list, and never from inside the tracer.
 */
class JdkClassesIT {

    @TempDir
    Path tmp;

    @Test
    void anIncludeOfJavaUtilShowsHashMapPutNestedUnderTheApplicationMethodThatCalledIt() throws Exception {
        Path trace = tmp.resolve("trace.txt");
        ChildJvm r = ChildJvm.run("include=java.util.*,include=itest.*,tracer=function_graph,filter=itest.JdkApp.work,"
                        + "filter=java.util.HashMap.put*,output=" + trace,
                List.of("-cp", ChildJvm.TEST_CLASSES.toString()), "itest.JdkApp", "3");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("done 3 ok true");
        List<String> lines = Files.readAllLines(trace);
        int work = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith("|  itest.JdkApp.work() {")) {
                work = i;
                break;
            }
        }
        assertThat(work).as(String.join("\n", lines)).isNotNegative();
        // The next line is the first call of HashMap.put, one level deeper, and putVal under it.
        assertThat(lines.get(work + 1)).endsWith("|    java.util.HashMap.put() {");
        assertThat(lines.get(work + 2)).contains("|      java.util.HashMap.putVal();");
    }

    /**
     * Without the CDS archive every JDK class is parsed from the runtime image, and JDK 17 keeps no
     * stack map frames for classes it does not verify: the class file it rebuilds to retransform those
     * loaded before the agent (HashMap among them) has none, and the agent plants the image's instead.
     */
    @Test
    void jdkClassesLoadedBeforeTheAgentWithoutTheirFramesGetSitesThatPassTheSiteCheck() throws Exception {
        Path trace = tmp.resolve("trace.txt");
        Path report = tmp.resolve("report.txt");
        ChildJvm r = ChildJvm.run("include=java.util.*,include=java.io.*,include=itest.*,check=1,tracer=function_graph,"
                        + "filter=itest.JdkApp.work,filter=java.util.HashMap.put*,report=" + report + ",output=" + trace,
                List.of("-Xshare:off", "-cp", ChildJvm.TEST_CLASSES.toString()), "itest.JdkApp", "3");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("done 3 ok true");
        assertThat(r.err.lines().filter(l -> l.startsWith("jftrace:"))).as(r.err).isEmpty();
        String rep = Files.readString(report);
        assertThat(rep).doesNotContain("failed the site check");
        assertThat(count(rep, "# JDK methods with sites: ")).isGreaterThan(1000);
        // The only methods without sites are the intrinsic candidates.
        assertThat(count(rep, "# methods left without sites: ")).isEqualTo(count(rep, "# JDK intrinsic candidates left without sites: "));
        // HashMap.putVal branches: without frames it would have failed the check and kept its code untraced.
        assertThat(Files.readString(trace)).contains("|    java.util.HashMap.put() {").contains("|      java.util.HashMap.putVal();");
    }

    /**
     * Serialization computes a class's serialVersionUID from its members when it declares none: sites
     * add no field or method, so every serializable class of java.util and java.io keeps its UID (and
     * its serializable fields) with sites in every method and function_graph tracing them.
     */
    @Test
    void everySerializableJavaUtilAndJavaIoClassKeepsItsSerialVersionUidWithSites() throws Exception {
        ChildJvm plain = ChildJvm.exec(List.of(ChildJvm.java(), "-cp", ChildJvm.TEST_CLASSES.toString(), "itest.SerialUids"));
        assertThat(plain.exitCode).as(plain.toString()).isZero();
        assertThat(plain.out.lines().count()).as("serializable classes of java.util and java.io").isGreaterThan(300);
        Path report = tmp.resolve("report.txt");
        ChildJvm traced = ChildJvm.run("include=java.util.*,include=java.io.*,tracer=function_graph,buffer_size_kb=16,report="
                + report, List.of("-cp", ChildJvm.TEST_CLASSES.toString()), "itest.SerialUids");
        assertThat(traced.exitCode).as(traced.toString()).isZero();
        assertThat(traced.err.lines().filter(l -> l.startsWith("jftrace:"))).as(traced.err).isEmpty();
        assertThat(count(Files.readString(report), "# JDK methods with sites: ")).isGreaterThan(5000);
        assertThat(traced.out).isEqualTo(plain.out);
    }

    private static long count(String report, String line) {
        return Long.parseLong(report.lines().filter(l -> l.startsWith(line)).findFirst().orElseThrow().substring(line.length()));
    }

    @Test
    void everyAllowedJavaUtilAndJavaIoMethodTracedWhileTracePipeIsReadAndTheTraceWrittenToAFileNeverRecurses()
            throws Exception {
        Path trace = tmp.resolve("all.txt");
        try (LoopJvm j = LoopJvm.start(List.of("-javaagent:" + ChildJvm.JAR.toAbsolutePath()
                + "=include=java.util.*,include=java.io.*,tracer=function,filter=java.util.*,filter=java.io.*,output=" + trace),
                "itest.JdkApp", "loop")) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<ChildJvm> pipe = pool.submit(() -> LoopJvm.jftrace(Long.toString(j.pid), "cat", "trace_pipe",
                        "--count", "2000"));
                ChildJvm p = pipe.get();
                assertThat(p.exitCode).as(p.toString()).isZero();
                assertThat(p.out.lines().filter(l -> l.contains("java.util.")).count()).isGreaterThan(100);
                // trace_pipe consumed what it printed; the rest goes to the file at exit
                assertThat(p.out).doesNotContain("jftrace-");
            } finally {
                pool.shutdownNow();
            }
            String after = j.stop();
            assertThat(after).contains("ok true");
        }
        String text = Files.readString(trace);
        assertThat(text).contains("java.util.HashMap.put").contains("java.io.ByteArrayOutputStream.write");
        // The tracer's own threads (control socket, output at exit) call the JDK too: never traced.
        assertThat(text.lines().filter(l -> !l.startsWith("#")).filter(l -> l.strip().startsWith("jftrace-")))
                .as("lines of jftrace's own threads").isEmpty();
    }

    @Test
    void anIncludeThatCanSelectOnlyNotraceClassesIsRefusedWithItsReason() throws Exception {
        ChildJvm r = ChildJvm.run("include=java.lang.String*,tracer=function",
                List.of("-cp", ChildJvm.TEST_CLASSES.toString()), "itest.JdkApp", "1");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("done 1 ok true");
        assertThat(r.err.lines().filter(l -> l.startsWith("jftrace:")).toList()).containsExactly(
                "jftrace: include 'java.lang.String*' selects only classes that never get sites (java.lang.*: the JVM's"
                        + " core, which the trampoline, its sites' linkage (java.lang.invoke), the per-thread context"
                        + " (Thread, ThreadLocal, java.lang.ref), boxing and the agent's transformer run on); tracing is off");
    }

    @Test
    void theReportListsTheNotraceListTheRefusedClassesAndTheIntrinsicsLeftWithoutSites() throws Exception {
        try (LoopJvm j = LoopJvm.start(List.of("-javaagent:" + ChildJvm.JAR.toAbsolutePath() + "=include=java.util.*"),
                "itest.JdkApp", "loop")) {
            ChildJvm r = LoopJvm.jftrace(Long.toString(j.pid), "cat", "jftrace/report");
            assertThat(r.exitCode).as(r.toString()).isZero();
            assertThat(r.out).contains("# the notrace list: never given sites, whatever include says")
                    .contains("#   java.util.concurrent.ConcurrentHashMap\tthe tracer's registries")
                    .contains("java.util.Objects\tjava.util.Objects: java.lang.invoke calls it while it links a call site");
            String intrinsics = r.out.lines().filter(l -> l.startsWith("# JDK intrinsic candidates left without sites: "))
                    .findFirst().orElseThrow();
            assertThat(Long.parseLong(intrinsics.substring(intrinsics.lastIndexOf(' ') + 1)))
                    .as("java.util's intrinsic candidates (Base64's block encoder among them)").isPositive();
            assertThat(j.stop()).contains("ok true");
        }
    }

    @Test
    void anAttachWithAnIncludeOfJavaUtilRetransformsTheLoadedJdkClassesAndTracesThem() throws Exception {
        try (LoopJvm j = LoopJvm.start(List.of(), "itest.JdkApp", "loop")) {
            ChildJvm r = LoopJvm.jftrace("attach", Long.toString(j.pid), "-p", "function_graph", "--include", "java.util.*",
                    "--include", "itest.*", "-l", "itest.JdkApp.work", "-l", "java.util.HashMap.put*", "--duration", "3s");
            assertThat(r.exitCode).as(r.toString()).isZero();
            assertThat(r.out).contains("|  itest.JdkApp.work() {").contains("|    java.util.HashMap.put() {");
            assertThat(j.stop()).contains("ok true");
        }
    }
}
