package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import com.sun.tools.attach.VirtualMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The control files of a JVM started with {@code -javaagent}, through {@code jftrace PID ...}, the socket and JMX. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ControlIT {

    static LoopJvm agentJvm() throws Exception {
        return LoopJvm.start(List.of("-javaagent:" + ChildJvm.JAR.toAbsolutePath() + "=include=itest.*"));
    }

    /** A filter write past the threshold (here 1 function) is made, with a one-line note; below it, no note. */
    @Test
    void aFilterWriteSelectingManyFunctionsIsMadeWithANote() throws Exception {
        try (LoopJvm j = LoopJvm.start(List.of("-Djftrace.manyFunctions=1",
                "-javaagent:" + ChildJvm.JAR.toAbsolutePath() + "=include=itest.*"))) {
            ChildJvm many = LoopJvm.jftrace(Long.toString(j.pid), "write", "set_ftrace_filter", "itest.LoopApp.*");
            assertThat(many.exitCode).as(many.toString()).isZero();
            assertThat(many.err).matches("jftrace: \\d+ functions selected; tracing them all may slow this JVM\n");
            assertThat(cat(j, "set_ftrace_filter")).contains("itest.LoopApp.square(I)I");
            ChildJvm one = ok(j, "write", "set_ftrace_filter", "itest.LoopApp.square");
            assertThat(one.err).isEmpty();
            assertThat(LoopJvm.jftrace("attach", Long.toString(j.pid), "-B", "many", "-p", "function", "-l", "itest.LoopApp.*",
                    "--duration", "1s").err).startsWith("jftrace: ").contains("functions selected; tracing them all may slow this JVM; --yes to go on");
        }
    }

    static ChildJvm ok(LoopJvm j, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of(Long.toString(j.pid)));
        a.addAll(List.of(args));
        ChildJvm r = LoopJvm.jftrace(a.toArray(new String[0]));
        assertThat(r.exitCode).as(String.join(" ", args) + ": " + r).isZero();
        assertThat(r.err).as(r.toString()).isEmpty();
        return r;
    }

    static String cat(LoopJvm j, String file) throws Exception {
        return ok(j, "cat", file).out;
    }

    @Test
    void everyFileReadsAndEveryWritableFileWritesAndReadsBack() throws Exception {
        try (LoopJvm j = agentJvm()) {
            for (String f : ok(j, "ls").out.lines().toList()) {
                if (f.endsWith("/") || f.equals("trace_pipe") || f.equals("trace_marker")) {
                    continue;
                }
                ok(j, "cat", f);
            }
            for (String o : ok(j, "ls", "options").out.lines().toList()) {
                assertThat(cat(j, "options/" + o)).matches("[01]\n");
            }
            assertThat(cat(j, "available_tracers")).isEqualTo("function function_graph nop\n");
            assertThat(cat(j, "available_filter_functions")).contains("itest.LoopApp.work(J)I");
            assertThat(cat(j, "jftrace/report")).contains("# classes instrumented: ");

            ok(j, "write", "set_ftrace_filter", "itest.LoopApp.square");
            ok(j, "append", "set_ftrace_filter", "itest.LoopApp.work");
            assertThat(cat(j, "set_ftrace_filter").lines()).containsExactlyInAnyOrder("itest.LoopApp.square(I)I", "itest.LoopApp.work(J)I");
            ok(j, "write", "set_ftrace_notrace", "*work");
            assertThat(cat(j, "set_ftrace_notrace")).isEqualTo("itest.LoopApp.work(J)I\n");
            ok(j, "write", "set_graph_function", "itest.LoopApp.work");
            assertThat(cat(j, "set_graph_function")).isEqualTo("itest.LoopApp.work(J)I\n");
            ok(j, "write", "set_graph_notrace", "itest.LoopApp.main");
            assertThat(cat(j, "set_graph_notrace")).contains("itest.LoopApp.main");
            for (String[] fv : new String[][] {{"max_graph_depth", "3"}, {"tracing_thresh", "10"},
                    {"buffer_size_kb", "512"}, {"set_ftrace_pid", "main"}, {"options/funcgraph-tail", "1"}}) {
                ok(j, "write", fv[0], fv[1]);
                assertThat(cat(j, fv[0])).isEqualTo(fv[1] + "\n");
            }
            ok(j, "write", "trace_clock", "counter");
            assertThat(cat(j, "trace_clock")).isEqualTo("mono [counter] local_counter\n");
            ok(j, "write", "trace_options", "nofuncgraph-tail");
            assertThat(cat(j, "trace_options")).contains("nofuncgraph-tail\n");
            ok(j, "write", "set_graph_function");
            ok(j, "write", "set_graph_notrace");
            ok(j, "write", "max_graph_depth", "0");
            ok(j, "write", "tracing_thresh", "0");
            ok(j, "write", "set_ftrace_notrace");
            ok(j, "write", "current_tracer", "function");
            assertThat(cat(j, "current_tracer")).isEqualTo("function\n");
            assertThat(cat(j, "enabled_functions")).contains("itest.LoopApp.square(I)I (1)").contains("itest.LoopApp.work(J)I (1)");
            ok(j, "write", "trace_marker", "hello from the test");
            awaitCat(j, "trace", "itest.LoopApp.square <-itest.LoopApp.work");
            ok(j, "write", "tracing_on", "0");
            assertThat(cat(j, "tracing_on")).isEqualTo("0\n");
            String trace = cat(j, "trace");
            assertThat(trace).contains("# tracer: function").contains("itest.LoopApp.square <-itest.LoopApp.work")
                    .contains("tracing_mark_write: hello from the test");
            ok(j, "write", "trace");
            assertThat(cat(j, "trace")).doesNotContain("itest.LoopApp");
            ok(j, "write", "current_tracer", "nop");
            assertThat(cat(j, "enabled_functions")).isEmpty();
            assertThat(j.stop()).contains(" ok true");
        }
    }

    /** In the traced JVM, set_ftrace_pid takes ids of its live threads only; a refused write leaves the filter. */
    @Test
    void setFtracePidRefusesIdsOfNoLiveThreadInTheTracedJvm() throws Exception {
        try (LoopJvm j = agentJvm()) {
            String main = mainThreadId(j); // 1 on JDK 17, 3 on JDK 25
            ok(j, "write", "set_ftrace_pid", main);
            ok(j, "append", "set_ftrace_pid", "main");
            for (String bad : List.of("-7", "99999999", "12,13")) {
                for (String verb : List.of("write", "append")) {
                    ChildJvm refused = LoopJvm.jftrace(Long.toString(j.pid), verb, "set_ftrace_pid", bad);
                    AttachIT.assertOneLineError(refused, "jftrace: set_ftrace_pid: ");
                    assertThat(refused.err).contains("'" + bad + "'");
                    assertThat(cat(j, "set_ftrace_pid")).isEqualTo(main + " main\n");
                }
            }
            assertThat(j.stop()).contains(" ok true");
        }
    }

    /** The id of LoopApp's main thread, read from the TASK-PID column of a function trace of its loop. */
    static String mainThreadId(LoopJvm j) throws Exception {
        ok(j, "write", "set_ftrace_filter", "itest.LoopApp.square");
        ok(j, "write", "current_tracer", "function");
        java.util.regex.Pattern task = java.util.regex.Pattern.compile("(?m)^\\s*main-(\\d+)\\s+\\[");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (;;) {
            java.util.regex.Matcher m = task.matcher(cat(j, "trace"));
            if (m.find()) {
                ok(j, "write", "current_tracer", "nop");
                ok(j, "write", "set_ftrace_filter");
                return m.group(1);
            }
            assertThat(System.nanoTime()).as("a record of the main thread within 30 s").isLessThan(deadline);
        }
    }

    /** As ftrace: a new current_tracer starts from empty buffers, so no record is shown in the wrong format. */
    @Test
    void switchingTheTracerLeavesNoRecordOfTheOldOne() throws Exception {
        try (LoopJvm j = agentJvm()) {
            ok(j, "write", "set_ftrace_filter", "itest.LoopApp.square");
            ok(j, "write", "current_tracer", "function");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!cat(j, "trace").contains(": itest.LoopApp.square\n")) { // the function tracer's format
                assertThat(System.nanoTime()).as("a function record within 30 s").isLessThan(deadline);
            }
            ok(j, "write", "current_tracer", "function_graph");
            String graph = cat(j, "trace");
            assertThat(graph).startsWith("# tracer: function_graph").doesNotContain(": itest.LoopApp.square\n")
                    .doesNotContain("<-");
            ok(j, "write", "current_tracer", "nop");
            assertThat(j.stop()).contains(" ok true");
        }
    }

    @Test
    void twoInstancesStayIndependent() throws Exception {
        try (LoopJvm j = agentJvm()) {
            ok(j, "mkdir", "instances/a");
            ok(j, "mkdir", "instances/b");
            assertThat(cat(j, "instances")).isEqualTo("a\nb\n");
            assertThat(ok(j, "ls", "instances/a").out).contains("current_tracer\n").doesNotContain("instances/");
            ok(j, "write", "instances/a/set_ftrace_filter", "itest.LoopApp.square");
            ok(j, "write", "instances/a/current_tracer", "function");
            ok(j, "write", "instances/b/set_ftrace_filter", "itest.LoopApp.work");
            ok(j, "write", "instances/b/current_tracer", "function_graph");
            ok(j, "write", "instances/b/buffer_size_kb", "64");
            assertThat(cat(j, "instances/a/buffer_size_kb")).isNotEqualTo("64\n");
            assertThat(cat(j, "current_tracer")).isEqualTo("nop\n");
            awaitCat(j, "instances/a/trace", "itest.LoopApp.square");
            awaitCat(j, "instances/b/trace", "itest.LoopApp.work();");
            String a = cat(j, "instances/a/trace");
            String b = cat(j, "instances/b/trace");
            assertThat(a).contains("# tracer: function").contains("itest.LoopApp.square").doesNotContain(": itest.LoopApp.work");
            assertThat(b).contains("# tracer: function_graph").contains("itest.LoopApp.work();").doesNotContain("square");
            ok(j, "write", "instances/a/tracing_on", "0");
            ok(j, "write", "instances/a/trace");
            assertThat(cat(j, "instances/a/trace")).doesNotContain("itest.LoopApp");
            assertThat(cat(j, "instances/b/trace")).contains("itest.LoopApp.work");
            ok(j, "rmdir", "instances/a");
            assertThat(cat(j, "enabled_functions")).doesNotContain("square").contains("itest.LoopApp.work(J)I (1)");
            ok(j, "rmdir", "instances/b");
            assertThat(cat(j, "enabled_functions")).isEmpty();
            assertThat(j.stop()).contains(" ok true");
        }
    }

    @Test
    void twoClientsAtOnceAndAClientKilledInTheMiddleOfATracePipeStream(@TempDir Path tmp) throws Exception {
        try (LoopJvm j = agentJvm()) {
            ok(j, "write", "set_ftrace_filter", "itest.LoopApp.work");
            ok(j, "write", "current_tracer", "function");
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                Future<ChildJvm> pipe = pool.submit(() -> ok(j, "cat", "trace_pipe", "--duration", "2s"));
                Future<ChildJvm> counted = pool.submit(() -> ok(j, "cat", "trace_pipe", "--count", "5"));
                Future<List<String>> reads = pool.submit(() -> {
                    List<String> l = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        l.add(cat(j, "current_tracer"));
                    }
                    return l;
                });
                assertThat(reads.get(60, TimeUnit.SECONDS)).containsOnly("function\n");
                assertThat(counted.get(60, TimeUnit.SECONDS).out.lines().toList()).hasSize(5)
                        .allMatch(l -> l.contains("itest.LoopApp.work"));
                assertThat(pipe.get(60, TimeUnit.SECONDS).out).contains("itest.LoopApp.work");
            } finally {
                pool.shutdownNow();
            }

            File out = tmp.resolve("out").toFile();
            Process p = LoopJvm.jftraceAsync(out, tmp.resolve("err").toFile(), Long.toString(j.pid), "cat", "trace_pipe");
            AttachIT.awaitContains(out.toPath(), "itest.LoopApp.work", p);
            p.destroyForcibly();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(cat(j, "current_tracer")).isEqualTo("function\n");
            assertThat(ok(j, "cat", "trace_pipe", "--count", "1").out).contains("itest.LoopApp.work");
            ok(j, "write", "current_tracer", "nop");
            assertThat(j.stop()).contains(" ok true");
        }
    }

    @Test
    void hostileRequestsGetErrorsAndTheJvmGoesOn() throws Exception {
        try (LoopJvm j = agentJvm()) {
            Path sock = Path.of(System.getProperty("java.io.tmpdir"), "jftrace-" + System.getProperty("user.name"), j.pid + ".sock");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock.getParent()))).isEqualTo("rwx------");

            assertThat(exchange(sock, "bogus verb\n")).startsWith("err unknown request 'bogus'");
            assertThat(exchange(sock, "cat ../../etc/passwd\n")).startsWith("err no such file");
            assertThat(exchange(sock, "x".repeat(100_000))).startsWith("err request longer than 65536 bytes");
            assertThat(exchange(sock, "write current_tracer \u0000\u00ff\n")).startsWith("err current_tracer: unknown tracer");
            assertThat(exchange(sock, "mkdir ../x\n")).startsWith("err mkdir: only instances/NAME");
            try (SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                silent.connect(UnixDomainSocketAddress.of(sock)); // says nothing, then goes
            }
            List<SocketChannel> many = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                    c.connect(UnixDomainSocketAddress.of(sock));
                    many.add(c);
                }
                awaitAnswer(sock, "err too many clients"); // once the server has taken the 40 connections
                assertThat(exchange(sock, "ping\n")).startsWith("err too many clients");
            } finally {
                for (SocketChannel c : many) {
                    c.close();
                }
            }
            awaitAnswer(sock, "ok "); // once the server has seen them close
            assertThat(exchange(sock, "ping\n")).isEqualTo("ok " + ("jftrace " + j.pid + "\n").length() + "\njftrace " + j.pid + "\n");
            assertThat(cat(j, "current_tracer")).isEqualTo("nop\n");
            assertThat(j.stop()).contains(" ok true");
        }
    }

    /** Polls {@code cat file} until it contains text (20 s at most); returns what it read last. */
    static String awaitCat(LoopJvm j, String file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String last;
        do {
            last = cat(j, file);
            if (last.contains(text)) {
                return last;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no '" + text + "' in " + file + " in 20 s:\n" + last);
    }

    /** Pings until the answer starts with prefix (20 s at most). */
    static void awaitAnswer(Path sock, String prefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String last;
        do {
            last = exchange(sock, "ping\n");
            if (last.startsWith(prefix)) {
                return;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the answer to ping never started with '" + prefix + "' in 20 s: " + last);
    }

    /** Sends raw bytes and returns all the server says until it closes or 1 s of silence. */
    static String exchange(Path sock, String request) throws IOException, InterruptedException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(sock));
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
            try {
                while (out.hasRemaining()) {
                    c.write(out);
                }
            } catch (IOException closedEarly) {
                // the server may close once it has seen enough
            }
            c.configureBlocking(false);
            StringBuilder sb = new StringBuilder();
            ByteBuffer in = ByteBuffer.allocate(65536);
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < 1_000_000_000L) {
                int n;
                try {
                    n = c.read(in);
                } catch (IOException reset) {
                    break;
                }
                if (n < 0) {
                    break;
                }
                if (n > 0) {
                    sb.append(new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
                    in.clear();
                    quietSince = System.nanoTime();
                    if (sb.indexOf("\n") >= 0 && !sb.toString().startsWith("ok")) {
                        break;
                    }
                } else {
                    Thread.sleep(10);
                }
            }
            return sb.toString();
        }
    }

    @Test
    void theMBeanReadsAndWritesTheSameFiles() throws Exception {
        try (LoopJvm j = agentJvm()) {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(j.pid));
            String url;
            try {
                url = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(url))) {
                MBeanServerConnection s = jmx.getMBeanServerConnection();
                ObjectName name = new ObjectName("org.jftrace:type=Tracefs");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!s.isRegistered(name) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(s.getAttribute(name, "CurrentTracer")).isEqualTo("nop");
                s.invoke(name, "write", new Object[] {"set_ftrace_filter", "itest.LoopApp.square"},
                        new String[] {"java.lang.String", "java.lang.String"});
                s.setAttribute(name, new javax.management.Attribute("CurrentTracer", "function"));
                assertThat(cat(j, "current_tracer")).isEqualTo("function\n");
                assertThat(s.getAttribute(name, "EnabledFunctionCount")).isEqualTo(1);
                assertThat(s.invoke(name, "read", new Object[] {"enabled_functions"}, new String[] {"java.lang.String"}))
                        .asString().contains("itest.LoopApp.square(I)I (1)");
                try {
                    s.setAttribute(name, new javax.management.Attribute("CurrentTracer", "functon"));
                    throw new AssertionError("no error for an unknown tracer");
                } catch (Exception e) {
                    assertThat(String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage()))
                            .contains("unknown tracer 'functon'");
                }
                assertThat(s.getAttribute(name, "CurrentTracer")).isEqualTo("function");
                s.setAttribute(name, new javax.management.Attribute("CurrentTracer", "nop"));
                assertThat(s.getAttribute(name, "EnabledFunctionCount")).isEqualTo(0);
            }
            assertThat(j.stop()).contains(" ok true");
        }
    }
}
