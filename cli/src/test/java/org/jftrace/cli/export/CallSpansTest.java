package org.jftrace.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.jftrace.cli.report.DataTail;
import org.jftrace.cli.report.Jvm;
import org.jftrace.cli.report.Record;
import org.jftrace.data.DataStreamWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallSpansTest {

    /** A closed call as {@link CallSpans} gave it, copied. */
    record Span(String name, long trace, long id, long parent, long start, long end, boolean threw, boolean unfinished,
                String thread) {
    }

    static final String[] NAMES = {"t.M.a()V", "t.M.b()V", "t.M.c()V", "t.M.d()V", "t.M.s()V"};
    static final int A = 1;
    static final int B = 2;
    static final int C = 3;
    static final int D = 4;
    static final int S = 5;
    /** Wall-clock nanoseconds of trace time 0 (the anchor is at 1000). */
    static final long EPOCH = 1_700_000_000_000_000_000L - 1000;

    /** Writes one stream whose events {@code events} writes, reads it with {@link DataTail}, returns the calls. */
    static List<Span> spans(Path dir, long thresh, Consumer<DataStreamWriter> events) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataStreamWriter w = new DataStreamWriter(bytes, false);
        w.meta("function_graph", "mono", 42, 1000, EPOCH + 1000, "", "java 17: java -cp x t.M");
        for (int ip = 1; ip <= NAMES.length; ip++) {
            w.function(ip, NAMES[ip - 1]);
        }
        w.thread(1, 1, "main", false);
        w.thread(2, 7, "worker", false);
        events.accept(w);
        w.close();
        Path f = dir.resolve("d.jftrace");
        Files.write(f, bytes.toByteArray());
        List<Span> out = new ArrayList<>();
        CallSpans[] calls = new CallSpans[1];
        try (DataTail t = new DataTail(f, new DataTail.Listener() {
            @Override
            public void stream(Jvm jvm) {
                calls[0] = new CallSpans(jvm, thresh, c -> out.add(new Span(jvm.function(c.ip), c.traceIdLow, c.spanId,
                        c.parentSpanId, c.startEpochNanos - EPOCH, c.endEpochNanos - EPOCH, c.threw, c.unfinished,
                        c.thread.name)), new SplittableRandom(1));
            }

            @Override
            public void record(Jvm jvm, Record r) {
                calls[0].record(r);
            }

            @Override
            public void end(Jvm jvm, boolean clean) {
                calls[0].finish();
            }
        })) {
            t.poll();
            assertThat(t.ended()).isTrue();
        }
        return out;
    }

    static Span one(List<Span> spans, String name) {
        List<Span> l = spans.stream().filter(s -> s.name.equals(name)).toList();
        assertThat(l).as(name + " in " + spans).hasSize(1);
        return l.get(0);
    }

    static void block(DataStreamWriter w, int thread, long first, Consumer<DataStreamWriter> records) {
        w.beginEvents(thread - 1, thread, first);
        records.accept(w);
        try {
            w.endEvents();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void returnsAloneNestChildrenUnderTheParentsThatReturnLater(@TempDir Path dir) throws Exception {
        // a[0,100] { b[10,50] { c[20,40] } d[60,90] threw }, as tracing_thresh records it: returns only
        List<Span> s = spans(dir, 5, w -> block(w, 1, 40, b -> {
            b.ret(40, C, 3, 20, false, 0);
            b.ret(50, B, 2, 40, false, 0);
            b.ret(90, D, 2, 30, true, 0);
            b.ret(100, A, 1, 100, false, 0);
        }));
        assertThat(s).hasSize(4);
        Span a = one(s, "t.M.a()V");
        Span b = one(s, "t.M.b()V");
        Span c = one(s, "t.M.c()V");
        Span d = one(s, "t.M.d()V");
        assertThat(a.parent).isZero();
        assertThat(b.parent).isEqualTo(a.id);
        assertThat(d.parent).isEqualTo(a.id);
        assertThat(c.parent).isEqualTo(b.id);
        assertThat(s).allSatisfy(x -> assertThat(x.trace).isEqualTo(a.trace));
        assertThat(s.stream().map(Span::id).distinct().count()).isEqualTo(4);
        assertThat(d.threw).isTrue();
        assertThat(b.threw).isFalse();
        assertThat(c.start).isEqualTo(20);
        assertThat(c.end).isEqualTo(40);
        assertThat(a.thread).isEqualTo("main");
    }

    @Test
    void callsShorterThanTheThresholdAreLeftOutAndEachRootStartsATrace(@TempDir Path dir) throws Exception {
        List<Span> s = spans(dir, 5, w -> block(w, 1, 0, b -> {
            b.entry(0, A, 1);
            b.entry(10, S, 2);
            b.ret(12, S, 2, 2, false, 0);
            b.entry(20, B, 2);
            b.ret(40, B, 2, 20, false, 0);
            b.ret(100, A, 1, 100, false, 0);
            b.entry(110, D, 1);
            b.ret(130, D, 1, 20, false, 0);
        }));
        assertThat(s).extracting(Span::name).containsExactly("t.M.b()V", "t.M.a()V", "t.M.d()V");
        assertThat(one(s, "t.M.b()V").parent).isEqualTo(one(s, "t.M.a()V").id);
        assertThat(one(s, "t.M.d()V").trace).isNotEqualTo(one(s, "t.M.a()V").trace);
        assertThat(one(s, "t.M.d()V").parent).isZero();
    }

    @Test
    void threadsNestSeparately(@TempDir Path dir) throws Exception {
        List<Span> s = spans(dir, 0, w -> {
            block(w, 1, 0, b -> b.entry(0, A, 1));
            block(w, 2, 5, b -> {
                b.entry(5, B, 1);
                b.ret(30, C, 2, 20, false, 0);
            });
            block(w, 1, 50, b -> b.ret(50, A, 1, 50, false, 0));
            block(w, 2, 60, b -> b.ret(60, B, 1, 55, false, 0));
        });
        assertThat(one(s, "t.M.c()V").parent).isEqualTo(one(s, "t.M.b()V").id);
        assertThat(one(s, "t.M.c()V").thread).isEqualTo("worker");
        assertThat(one(s, "t.M.a()V").trace).isNotEqualTo(one(s, "t.M.b()V").trace);
    }

    @Test
    void aLostRecordNeverMakesAWrongParent(@TempDir Path dir) throws Exception {
        List<Span> s = spans(dir, 0, w -> block(w, 1, 20, b -> {
            b.ret(40, C, 3, 20, false, 0);
            b.lost(45, 3); // b's return may be among them: c's planned parent is dropped
            b.ret(60, D, 2, 10, false, 0);
            b.ret(100, A, 1, 100, false, 0);
        }));
        Span c = one(s, "t.M.c()V");
        Span a = one(s, "t.M.a()V");
        assertThat(one(s, "t.M.d()V").parent).isEqualTo(a.id);
        assertThat(s.stream().filter(x -> x.id == c.parent)).isEmpty();
    }

    @Test
    void aPlannedParentWhoseChildStartedBeforeItIsStale(@TempDir Path dir) throws Exception {
        List<Span> s = spans(dir, 0, w -> block(w, 1, 20, b -> {
            b.ret(20, C, 2, 10, false, 0); // its depth-1 caller's return is missing from the data
            b.ret(100, A, 1, 50, false, 0); // a started at 50: not c's caller
        }));
        assertThat(one(s, "t.M.a()V").id).isNotEqualTo(one(s, "t.M.c()V").parent);
    }

    @Test
    void aCallStillRunningAtTheEndIsExportedUnfinishedWhenItsEntryIsKnown(@TempDir Path dir) throws Exception {
        List<Span> s = spans(dir, 0, w -> block(w, 1, 0, b -> {
            b.entry(0, A, 1);
            b.entry(10, B, 2);
            b.ret(30, B, 2, 20, false, 0);
        }));
        Span a = one(s, "t.M.a()V");
        assertThat(a.unfinished).isTrue();
        assertThat(a.end).isEqualTo(30);
        assertThat(one(s, "t.M.b()V").parent).isEqualTo(a.id);
        assertThat(one(s, "t.M.b()V").unfinished).isFalse();
    }

    @Test
    void aShortCallThatReturnedIsNeverExportedAsUnfinished(@TempDir Path dir) throws Exception {
        List<Span> s = spans(dir, 5, w -> block(w, 1, 0, b -> {
            b.entry(0, A, 1);
            b.entry(10, S, 2);
            b.ret(12, S, 2, 2, false, 0);
            b.marker(40, "later");
        }));
        assertThat(s).extracting(Span::name).containsExactly("t.M.a()V");
        assertThat(one(s, "t.M.a()V").unfinished).isTrue();
        assertThat(one(s, "t.M.a()V").end).isEqualTo(40);
    }
}
