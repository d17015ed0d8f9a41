package org.jftrace.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jftrace.data.DataStreamWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTailTest {

    /** What the listener heard, one line each. */
    static final class Heard implements DataTail.Listener {
        final List<String> lines = new ArrayList<>();

        @Override
        public void stream(Jvm jvm) {
            lines.add("stream " + jvm.pid + " " + jvm.tracer);
        }

        @Override
        public void record(Jvm jvm, Record r) {
            lines.add((r.isEntry() ? "entry " : r.isReturn() ? "return " : "other ") + jvm.function(r.ip) + " " + r.ts + " "
                    + r.thread.name);
        }

        @Override
        public void end(Jvm jvm, boolean clean) {
            lines.add(clean ? "end" : "cut short");
        }
    }

    static byte[] stream(boolean deflate) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataStreamWriter w = new DataStreamWriter(b, deflate);
        w.meta("function_graph", "mono", 7, 0, 0, "", "java 17: x");
        w.function(1, "t.M.a()V");
        w.thread(1, 1, "main", false);
        w.beginEvents(0, 1, 10);
        w.entry(10, 1, 1);
        w.endEvents();
        w.beginEvents(0, 1, 20);
        w.ret(20, 1, 1, 10, false, 0);
        w.endEvents();
        w.close();
        return b.toByteArray();
    }

    @Test
    void readsTheBlocksAsTheyAreCompletedWhileTheFileGrows(@TempDir Path dir) throws Exception {
        byte[] all = stream(true);
        Path f = dir.resolve("growing.jftrace");
        Heard h = new Heard();
        try (DataTail t = new DataTail(f, h)) {
            assertThat(t.poll()).as("no file yet").isFalse();
            Files.write(f, new byte[0]);
            int written = 0;
            // one byte at a time: every poll must take exactly the blocks complete so far
            for (int i = 0; i < all.length; i++) {
                Files.write(f, Arrays.copyOfRange(all, i, i + 1), StandardOpenOption.APPEND);
                t.poll();
                written++;
            }
            assertThat(written).isEqualTo(all.length);
            assertThat(t.ended()).isTrue();
        }
        assertThat(h.lines).containsExactly("stream 7 function_graph", "entry t.M.a()V 10 main", "return t.M.a()V 20 main", "end");
    }

    @Test
    void aStreamStillOpenWhenTheReadingStopsEndsCutShort(@TempDir Path dir) throws Exception {
        byte[] all = stream(false);
        Path f = dir.resolve("cut.jftrace");
        Files.write(f, Arrays.copyOf(all, all.length - 12));
        Heard h = new Heard();
        try (DataTail t = new DataTail(f, h)) {
            t.poll();
            assertThat(t.ended()).isFalse();
        }
        assertThat(h.lines).startsWith("stream 7 function_graph").endsWith("cut short");
    }

    @Test
    void aChecksumThatDoesNotMatchStopsTheReading(@TempDir Path dir) throws Exception {
        byte[] all = stream(false);
        all[all.length - 20] ^= 0x55;
        Path f = dir.resolve("bad.jftrace");
        Files.write(f, all);
        try (DataTail t = new DataTail(f, new Heard())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(t::poll).isInstanceOf(BadDataException.class)
                    .hasMessageContaining("checksum mismatch");
        }
    }
}
