package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast control path: {@code jftrace PID cat|write ...} answered without picocli, and the launcher's
 * class-data-sharing archive for control requests, made once per java and jar and never used stale.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ControlLauncherIT {

    /** The repository's launcher script, next to dist/. */
    static final Path LAUNCHER = ChildJvm.JAR.toAbsolutePath().getParent().getParent().getParent().resolve("jftrace");

    @Test
    void aControlRequestLoadsNoPicocliAndAnswersAsTheFullCommandDoes(@TempDir Path tmp) throws Exception {
        try (LoopJvm j = ControlIT.agentJvm()) {
            String pid = Long.toString(j.pid);
            Path classes = tmp.resolve("classes.txt");
            ChildJvm r = ChildJvm.exec(List.of(ChildJvm.java(), "-Xlog:class+load:file=" + classes, "-jar",
                    ChildJvm.JAR.toAbsolutePath().toString(), pid, "cat", "current_tracer"));
            assertThat(r.out).as(r.toString()).isEqualTo("nop\n");
            String loaded = Files.readString(classes);
            assertThat(loaded).contains("org.jftrace.cli.QuickControl").doesNotContain("picocli").doesNotContain("com.sun.tools.attach")
                    .doesNotContain("otel").doesNotContain("org.jftrace.cli.export");

            // the same request through picocli (the long form with an option) gives the same answer
            assertThat(LoopJvm.jftrace("control", pid, "cat", "current_tracer").out).isEqualTo("nop\n");
            // errors from the JVM: one line, exit 1, on both paths
            AttachIT.assertOneLineError(LoopJvm.jftrace(pid, "cat", "no_such_file"), "jftrace: no such file 'no_such_file'");
            AttachIT.assertOneLineError(LoopJvm.jftrace(pid, "write", "max_graph_depth", "-1"),
                    "jftrace: max_graph_depth: must not be negative: '-1'");
            // what the quick path leaves to picocli still works: help, wrong arity, trace_pipe
            assertThat(LoopJvm.jftrace(pid, "cat", "--help").out).startsWith("Usage: jftrace control cat");
            ChildJvm noDir = LoopJvm.jftrace(pid, "mkdir");
            assertThat(noDir.exitCode).isEqualTo(2);
            assertThat(noDir.err).startsWith("Missing required parameter: 'instances/NAME'");
            ControlIT.ok(j, "write", "trace_marker", "quick", "and", "whole");
            assertThat(ControlIT.ok(j, "cat", "trace_pipe", "--count", "1").out).contains("quick and whole");
            // every verb of the quick path
            ControlIT.ok(j, "mkdir", "instances/q");
            assertThat(ControlIT.ok(j, "ls", "instances").out).isEqualTo("q\n");
            ControlIT.ok(j, "append", "instances/q/set_ftrace_filter", "itest.LoopApp.square");
            assertThat(ControlIT.cat(j, "instances/q/set_ftrace_filter")).isEqualTo("itest.LoopApp.square(I)I\n");
            ControlIT.ok(j, "rmdir", "instances/q");
            assertThat(ControlIT.ok(j, "ls").out).contains("current_tracer\n");
            assertThat(j.stop()).contains(" ok true");
        }
    }

    @Test
    void theLauncherMakesItsArchiveOnceAndRemakesItWhenTheJarIsNewer(@TempDir Path cache) throws Exception {
        try (LoopJvm j = ControlIT.agentJvm()) {
            String pid = Long.toString(j.pid);
            ChildJvm first = launcher(cache, pid, "cat", "tracing_on");
            assertThat(first.out).as(first.toString()).isEqualTo("1\n");
            assertThat(first.err).isEmpty();
            // a dynamic archive extends the JDK's default one: a JDK installed without it makes none
            Assumptions.assumeTrue(Files.exists(javaHome().resolve("lib/server/classes.jsa")),
                    "this JDK has no default CDS archive (lib/server/classes.jsa)");
            List<Path> archives = archives(cache);
            assertThat(archives).hasSize(1);
            FileTime made = Files.getLastModifiedTime(archives.get(0));

            ChildJvm second = launcher(cache, pid, "write", "tracing_on", "0");
            assertThat(second.exitCode).as(second.toString()).isZero();
            assertThat(second.err).isEmpty();
            assertThat(launcher(cache, pid, "cat", "tracing_on").out).isEqualTo("0\n");
            assertThat(archives(cache)).isEqualTo(archives);
            assertThat(Files.getLastModifiedTime(archives.get(0))).isEqualTo(made);

            // an archive older than the jar is never used: the next request makes it again
            Files.setLastModifiedTime(archives.get(0),
                    FileTime.fromMillis(Files.getLastModifiedTime(ChildJvm.JAR).toMillis() - 60_000));
            assertThat(launcher(cache, pid, "write", "tracing_on", "1").err).isEmpty();
            assertThat(archives(cache)).isEqualTo(archives);
            assertThat(Files.getLastModifiedTime(archives.get(0))).isGreaterThan(Files.getLastModifiedTime(ChildJvm.JAR));

            // a refused write: one line, and no archive is made from a failed request
            Files.delete(archives.get(0));
            AttachIT.assertOneLineError(launcher(cache, pid, "write", "set_ftrace_pid", "12,13"),
                    "jftrace: set_ftrace_pid: bad thread id '12,13'");
            assertThat(archives(cache)).isEmpty();
            assertThat(j.stop()).contains(" ok true");
        }
    }

    /** {@code jftrace ARGS} through the launcher, on the tests' java, with its cache in {@code cache}. */
    static ChildJvm launcher(Path cache, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        return ChildJvm.exec(cmd, Map.of("XDG_CACHE_HOME", cache.toString(), "JAVA_HOME", javaHome().toString()));
    }

    /** The home of the java the tests run their JVMs on. */
    static Path javaHome() throws Exception {
        return Path.of(ChildJvm.java()).toRealPath().getParent().getParent();
    }

    static List<Path> archives(Path cache) throws Exception {
        Path dir = cache.resolve("jftrace");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
