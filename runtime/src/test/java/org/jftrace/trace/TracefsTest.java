package org.jftrace.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TracefsTest {

    final Tracefs fs = new Tracefs();
    final List<String> instances = new ArrayList<>();

    @AfterEach
    void stop() {
        fs.write("function_profile_enabled", "0", false);
        fs.write("current_tracer", "nop", false);
        fs.write("set_ftrace_filter", "", false);
        for (String i : instances) {
            fs.rmdirInstance(i);
        }
        fs.top().commands.clear();
    }

    static long hits(String stat, String function) {
        Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(function) + "\\s+(\\d+)\\s").matcher(stat);
        assertThat(m.find()).as(stat).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void profilerHitsMatchKnownCallCountsAcrossThreads() throws Exception {
        Sites outer = Sites.function("prof.A", "outer");
        Sites inner = Sites.function("prof.A", "inner");
        fs.write("set_ftrace_filter", "prof.A.*", false);
        fs.write("function_profile_enabled", "1", false);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    outer.call(() -> {
                        inner.call();
                        inner.call();
                    });
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        String stat = fs.read("trace_stat/function");
        assertThat(stat).startsWith("  Function                        ");
        assertThat(stat.lines().skip(1).findFirst().orElseThrow()).contains("--------").contains("---");
        assertThat(hits(stat, "prof.A.outer")).isEqualTo(2000);
        assertThat(hits(stat, "prof.A.inner")).isEqualTo(4000);
        // graph-time (default): outer includes its children, so it sorts first by total time
        assertThat(stat.indexOf("prof.A.outer")).isLessThan(stat.indexOf("prof.A.inner"));
        fs.write("trace_stat/function", "", false);
        assertThat(fs.read("trace_stat/function")).doesNotContain("prof.A.outer");
    }

    @Test
    void graphOptionsClearedAgainGiveBackTheWholeGraph() {
        Sites outer = Sites.function("graphopt.A", "outer");
        Sites inner = Sites.function("graphopt.A", "inner");
        fs.write("trace_clock", "counter", false);
        fs.write("set_ftrace_filter", "graphopt.A.*", false);
        fs.write("current_tracer", "function_graph", false);
        Runnable call = () -> outer.call(inner::call);

        fs.write("max_graph_depth", "1", false);
        call.run();
        assertThat(fs.read("trace")).doesNotContain("graphopt.A.inner");
        fs.write("max_graph_depth", "0", false);
        fs.write("set_graph_notrace", "graphopt.A.inner", false);
        fs.write("trace", "", false);
        call.run();
        assertThat(fs.read("trace")).contains("graphopt.A.outer").doesNotContain("graphopt.A.inner");
        fs.write("set_graph_notrace", "", false);
        fs.write("tracing_thresh", "1000000", false); // 1 s in counts: nothing is that long
        fs.write("trace", "", false);
        call.run();
        assertThat(fs.read("trace")).doesNotContain("graphopt.A");

        fs.write("tracing_thresh", "0", false);
        fs.write("trace", "", false);
        call.run();
        List<String> calls = fs.read("trace").lines().filter(l -> l.startsWith(" 0)")).map(l -> l.substring(l.indexOf('|') + 1))
                .toList();
        assertThat(calls).containsExactly("  graphopt.A.outer() {", "    graphopt.A.inner();", "  }");
    }

    @Test
    void traceoffCommandStopsTheTraceAfterItsFunction() {
        Sites work = Sites.function("cmd.B", "work");
        Sites stop = Sites.function("cmd.B", "stop");
        fs.write("trace_clock", "counter", false);
        fs.write("set_ftrace_filter", "cmd.B.*", false);
        fs.write("current_tracer", "function", false);
        fs.write("set_ftrace_filter", "cmd.B.stop:traceoff:1", true);
        assertThat(fs.read("set_ftrace_filter")).contains("cmd.B.work()V").contains("cmd.B.stop:traceoff:count=1");
        work.call();
        stop.call();
        work.call();
        assertThat(fs.read("tracing_on")).isEqualTo("0\n");
        String trace = fs.read("trace");
        assertThat(trace.lines().filter(l -> l.contains(": cmd.B.work")).count()).as(trace).isEqualTo(1);
        assertThat(fs.read("set_ftrace_filter")).contains("cmd.B.stop:traceoff:count=0");
        fs.write("set_ftrace_filter", "!cmd.B.stop:traceoff", true);
        assertThat(fs.read("set_ftrace_filter")).doesNotContain("traceoff");
        fs.write("tracing_on", "1", false);
    }

    @Test
    void localCounterClockNumbersEachThreadsRecordsOnItsOwn() throws Exception {
        Sites f = Sites.function("clk.L", "f");
        fs.write("trace_clock", "local_counter", false);
        fs.write("set_ftrace_filter", "clk.L.*", false);
        fs.write("current_tracer", "function", false);
        f.call();
        f.call();
        Thread other = new Thread(() -> {
            f.call();
            f.call();
            f.call();
        });
        other.start();
        other.join();
        f.call();
        assertThat(fs.read("trace_clock")).isEqualTo("mono counter [local_counter]\n");
        String trace = fs.read("trace");
        String self = "-" + Thread.currentThread().getId() + " ";
        String them = "-" + other.getId() + " ";
        // the raw count, as for the counter clock: 1, 2, 3 on this thread; 1, 2, 3 on the other
        assertThat(counts(trace, self)).as(trace).containsExactly(1L, 2L, 3L);
        assertThat(counts(trace, them)).as(trace).containsExactly(1L, 2L, 3L);
        assertThatThrownBy(() -> fs.write("trace_clock", "local", false))
                .hasMessageContaining("'local'").hasMessageContaining("local_counter");
        assertThat(fs.read("trace_clock")).isEqualTo("mono counter [local_counter]\n");
    }

    private static List<Long> counts(String trace, String task) {
        return trace.lines().filter(l -> l.contains(task) && l.contains(": clk.L.f"))
                .map(l -> Long.parseLong(l.substring(0, l.indexOf(": clk.L.f")).replaceAll(".*\\s", "")))
                .collect(java.util.stream.Collectors.toList());
    }

    @Test
    void stacktraceCommandRecordsTheJavaStack() {
        Sites f = Sites.function("cmd.C", "f");
        fs.write("current_tracer", "function", false);
        fs.write("set_ftrace_filter", "cmd.C.f cmd.C.f:stacktrace", false);
        f.call();
        String trace = fs.read("trace");
        assertThat(trace).contains("<stack trace>").contains(" => org.jftrace.trace.Sites.call")
                .contains(" => org.jftrace.trace.TracefsTest.stacktraceCommandRecordsTheJavaStack");
    }

    @Test
    void snapshotKeepsACopyWhileTheBufferMovesOn() {
        Sites f = Sites.function("snap.D", "f");
        Sites g = Sites.function("snap.D", "g");
        fs.write("set_ftrace_filter", "snap.D.*", false);
        fs.write("current_tracer", "function", false);
        f.call();
        fs.write("snapshot", "1", false);
        g.call();
        assertThat(fs.read("snapshot")).contains("snap.D.f").doesNotContain("snap.D.g");
        assertThat(fs.read("trace")).contains("snap.D.f").contains("snap.D.g");
        fs.write("snapshot", "0", false);
        assertThat(fs.read("snapshot")).contains("Snapshot is freed");
    }

    @Test
    void tracePipeConsumesWhatItReturns() {
        Sites f = Sites.function("pipe.E", "f");
        fs.write("set_ftrace_filter", "pipe.E.*", false);
        fs.write("current_tracer", "function_graph", false);
        f.call();
        f.call();
        String first = fs.read("trace_pipe");
        assertThat(first.lines().filter(l -> l.contains("pipe.E.f() {")).count()).as(first).isEqualTo(2);
        assertThat(first).contains("} /* pipe.E.f */");
        assertThat(fs.read("trace_pipe")).isEmpty();
        assertThat(fs.read("trace")).doesNotContain("pipe.E.f");
    }

    @Test
    void instancesTraceIndependently() {
        Sites a = Sites.function("inst.F", "a");
        Sites b = Sites.function("inst.F", "b");
        fs.mkdirInstance("one");
        instances.add("one");
        fs.write("set_ftrace_filter", "inst.F.a", false);
        fs.write("current_tracer", "function", false);
        fs.write("instances/one/set_ftrace_filter", "inst.F.b", false);
        fs.write("instances/one/current_tracer", "function_graph", false);
        a.call();
        b.call();
        assertThat(fs.read("trace")).contains("inst.F.a").doesNotContain("inst.F.b");
        assertThat(fs.read("instances/one/trace")).contains("# tracer: function_graph").contains("inst.F.b();")
                .doesNotContain("inst.F.a");
        assertThat(fs.read("instances")).isEqualTo("one\n");
        assertThat(fs.read("enabled_functions")).contains("inst.F.a()V (1)").contains("inst.F.b()V (1)");
    }

    @Test
    void badWritesNameTheBadTokenAndChangeNothing() {
        Sites.function("bad.G", "f");
        fs.write("set_ftrace_filter", "bad.G.*", false);
        fs.write("current_tracer", "function", false);
        String filter = fs.read("set_ftrace_filter");
        assertThatThrownBy(() -> fs.write("current_tracer", "functoin", false))
                .isInstanceOf(TracefsException.class).hasMessageContaining("'functoin'");
        assertThatThrownBy(() -> fs.write("set_ftrace_filter", "bad.G.f foo[x", false))
                .isInstanceOf(TracefsException.class).hasMessageContaining("foo[x");
        assertThatThrownBy(() -> fs.write("set_ftrace_filter", "99999999", false))
                .isInstanceOf(TracefsException.class).hasMessageContaining("99999999");
        assertThatThrownBy(() -> fs.write("set_ftrace_filter", ":mod:no-such-jar", false))
                .isInstanceOf(TracefsException.class).hasMessageContaining("no-such-jar");
        assertThatThrownBy(() -> fs.write("set_ftrace_filter", "f:dump", false))
                .isInstanceOf(TracefsException.class).hasMessageContaining("'dump'");
        assertThatThrownBy(() -> fs.write("buffer_size_kb", "-4", false))
                .isInstanceOf(TracefsException.class).hasMessageContaining("'-4'");
        assertThatThrownBy(() -> fs.write("tracing_thresh", "10ms", false))
                .isInstanceOf(TracefsException.class).hasMessageContaining("'10ms'");
        assertThatThrownBy(() -> fs.write("options/funcgraph-nope", "1", false))
                .isInstanceOf(TracefsException.class).hasMessageContaining("funcgraph-nope");
        assertThatThrownBy(() -> fs.write("trace_clock", "tsc", false))
                .isInstanceOf(TracefsException.class).hasMessageContaining("'tsc'");
        assertThatThrownBy(() -> fs.read("no_such_file")).isInstanceOf(TracefsException.class)
                .hasMessageContaining("'no_such_file'");
        assertThatThrownBy(() -> fs.write("enabled_functions", "x", false)).hasMessageContaining("read-only");
        assertThat(fs.read("current_tracer")).isEqualTo("function\n");
        assertThat(fs.read("set_ftrace_filter")).isEqualTo(filter);
        assertThat(fs.read("buffer_size_kb")).isEqualTo("2048\n");
        assertThat(fs.read("tracing_thresh")).isEqualTo("0\n");
        assertThat(fs.read("trace_clock")).isEqualTo("[mono] counter local_counter\n");
    }

    @Test
    void optionsReadBackAndChangeTheOutput() {
        Sites f = Sites.function("opt.H", "f");
        fs.write("set_ftrace_filter", "opt.H.*", false);
        fs.write("current_tracer", "function_graph", false);
        fs.write("options/funcgraph-proc", "1", false);
        fs.write("trace_options", "nofuncgraph-duration", false);
        f.call();
        assertThat(fs.read("options/funcgraph-proc")).isEqualTo("1\n");
        assertThat(fs.read("trace_options")).contains("funcgraph-proc\n").contains("nofuncgraph-duration\n");
        String trace = fs.read("trace");
        assertThat(trace).contains("  TASK/PID").doesNotContain("DURATION").contains("opt.H.f();");
        assertThat(trace).containsPattern(" \\d+\\)  .*-\\d+\\s+\\|  \\|  opt\\.H\\.f\\(\\);");
        fs.write("options/funcgraph-proc", "0", false);
        fs.write("options/funcgraph-duration", "1", false);
    }

    @Test
    void pidFilterTracesOnlyChosenThreads() throws Exception {
        Sites f = Sites.function("pid.I", "f");
        fs.write("set_ftrace_filter", "pid.I.*", false);
        fs.write("set_ftrace_pid", "chosen-*", false);
        fs.write("current_tracer", "function", false);
        Thread chosen = new Thread(f::call, "chosen-1");
        Thread other = new Thread(f::call, "other-1");
        chosen.start();
        other.start();
        chosen.join();
        other.join();
        String trace = fs.read("trace");
        assertThat(trace).contains("chosen-1-").doesNotContain("other-1-");
        assertThat(fs.read("set_ftrace_pid")).isEqualTo("chosen-*\n");
        fs.write("set_ftrace_pid", "", false);
        assertThat(fs.read("set_ftrace_pid")).isEqualTo("no pid\n");
    }

    @Test
    @SuppressWarnings("deprecation") // Thread.getId, as set_ftrace_pid's ids are on JDK 17
    void setFtracePidRefusesWhatNamesNoLiveThreadAndChangesNothing() throws Exception {
        fs.write("set_ftrace_pid", "chosen-*", false);
        Object inForce = fs.top().pidFilter();
        Thread ended = new Thread(() -> { });
        ended.start();
        ended.join();
        for (String bad : List.of("-7", "99999999", "12,13", "+3", "1.5", "99999999999999999999",
                Long.toString(ended.getId()))) {
            for (boolean append : new boolean[] {false, true}) {
                assertThatThrownBy(() -> fs.write("set_ftrace_pid", "main " + bad, append))
                        .isInstanceOf(TracefsException.class)
                        .hasMessageStartingWith("set_ftrace_pid: ")
                        .hasMessageContaining("'" + bad + "'")
                        .hasMessageNotContaining("\n");
                assertThat(fs.read("set_ftrace_pid")).isEqualTo("chosen-*\n");
                assertThat(fs.top().pidFilter()).isSameAs(inForce);
            }
        }
        long me = Thread.currentThread().getId();
        fs.write("set_ftrace_pid", Long.toString(me), true); // a live thread's id, next to the glob
        assertThat(fs.read("set_ftrace_pid")).isEqualTo("chosen-* " + me + "\n");
        fs.write("set_ftrace_pid", "pool-[0-9]*-thread-?", false); // globs with digits stay names
        assertThat(fs.read("set_ftrace_pid")).isEqualTo("pool-[0-9]*-thread-?\n");
    }

    @Test
    void switchingTracersEmptiesTheBuffers() {
        Sites f = Sites.function("sw.L", "f");
        fs.write("trace_clock", "counter", false);
        fs.write("set_ftrace_filter", "sw.L.*", false);
        fs.write("current_tracer", "function", false);
        f.call();
        assertThat(fs.read("trace")).contains(": sw.L.f\n");
        fs.write("current_tracer", "function_graph", false);
        assertThat(fs.read("trace")).startsWith("# tracer: function_graph").doesNotContain("sw.L.f");
        f.call();
        assertThat(fs.read("trace")).contains("sw.L.f();").doesNotContain(": sw.L.f\n");
        fs.write("current_tracer", "function_graph", false); // the same tracer again: no switch, no reset
        assertThat(fs.read("trace")).contains("sw.L.f();");
    }

    @Test
    void profilerTellsOverloadsApartByTheirDescriptors() {
        Sites noArgs = Sites.function("ovl.K", "run", "()V");
        Sites oneInt = Sites.function("ovl.K", "run", "(I)V");
        Sites solo = Sites.function("ovl.K", "solo", "()V");
        fs.write("set_ftrace_filter", "ovl.K.*", false);
        fs.write("function_profile_enabled", "1", false);
        noArgs.call();
        oneInt.call();
        oneInt.call();
        solo.call();
        String stat = fs.read("trace_stat/function");
        assertThat(hits(stat, "ovl.K.run()V")).isEqualTo(1);
        assertThat(hits(stat, "ovl.K.run(I)V")).isEqualTo(2);
        assertThat(hits(stat, "ovl.K.solo")).isEqualTo(1); // no overload: the name alone, as before
        assertThat(stat).doesNotContain("ovl.K.solo()V").doesNotContainPattern("(?m)^  ovl\\.K\\.run ");
    }

    @Test
    void smallBufferOverwritesOldestByDefaultAndKeepsOldestWithOverwriteOff() throws Exception {
        Sites f = Sites.function("ovw.J", "f");
        fs.mkdirInstance("small");
        instances.add("small");
        fs.write("instances/small/buffer_size_kb", "4", false); // 4 KiB = 128 records of 32 bytes
        fs.write("instances/small/set_ftrace_filter", "ovw.J.*", false);
        fs.write("instances/small/trace_clock", "counter", false);
        fs.write("instances/small/current_tracer", "function", false);
        Thread t1 = new Thread(() -> {
            for (int i = 0; i < 1000; i++) {
                f.call();
            }
        });
        t1.start();
        t1.join();
        String trace = fs.read("instances/small/trace");
        Matcher m = Pattern.compile("entries-in-buffer/entries-written: (\\d+)/(\\d+)").matcher(trace);
        assertThat(m.find()).isTrue();
        long inBuffer = Long.parseLong(m.group(1));
        assertThat(Long.parseLong(m.group(2))).isEqualTo(1000);
        assertThat(inBuffer).isLessThan(128).isGreaterThan(100);
        // overwrite: the newest survive (the counter clock is JVM-wide, so compare, don't assume values)
        List<Long> first = stamps(trace);
        assertThat(first).hasSize((int) inBuffer);

        fs.write("instances/small/trace", "", false);
        fs.write("instances/small/options/overwrite", "0", false);
        Thread t2 = new Thread(() -> {
            for (int i = 0; i < 1000; i++) {
                f.call();
            }
        });
        t2.start();
        t2.join();
        String kept = fs.read("instances/small/trace");
        List<Long> second = stamps(kept);
        long lost = fs.instance("instances/small").buffers().lost();
        // overwrite off: the oldest records of the second run are kept, the rest are counted as lost
        assertThat(second.size() + lost).isEqualTo(1000);
        assertThat(lost).isGreaterThan(800);
        assertThat(second.get(second.size() - 1) - second.get(0)).isEqualTo(second.size() - 1);
        // nothing read the clock in between: the first kept record of run 2 follows the newest of run 1
        assertThat(second.get(0)).isEqualTo(first.get(first.size() - 1) + 1);
        assertThat(first.get(first.size() - 1) - first.get(0)).isEqualTo(first.size() - 1);
    }

    static List<Long> stamps(String trace) {
        List<Long> l = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)\\]\\s+(\\d+): ovw\\.J\\.f$").matcher(trace);
        while (m.find()) {
            l.add(Long.parseLong(m.group(1)));
        }
        return l;
    }
}
