package org.jftrace.cli.tracedat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.jftrace.cli.report.BufferCursor;
import org.jftrace.cli.report.DataFile;
import org.jftrace.cli.report.Jvm;
import org.jftrace.cli.report.Merge;
import org.jftrace.cli.report.Progress;
import org.jftrace.cli.report.Record;
import org.jftrace.cli.report.RecordSink;
import org.jftrace.cli.report.ThreadInfo;

/**
 * The trace as a trace.dat, version 6 (trace-cmd's file: docs/trace-dat.md), for {@code trace-cmd
 * report} and KernelShark. A thread is a task (pid: its id, comm: its name), a buffer is a CPU,
 * records become the kernel tracers' events. The CPUs' data must be contiguous and come after a
 * table of their offsets, so the records are merged twice: once to count each CPU's pages, once to
 * write them where they belong. Memory: one page per CPU that has records in flight.
 */
public final class TraceDat {

    /** What the file holds. */
    public static final class Result {
        public long events;
        public int cpus;
        public long lostShown;
        public long lostUnshown;
    }

    private static final int MAX_TEXT = 2000;

    private final DataFile data;
    private final boolean descriptor;
    private final int[] cpuBase;
    private final int cpus;

    private TraceDat(DataFile data, boolean descriptor) {
        this.data = data;
        this.descriptor = descriptor;
        cpuBase = new int[data.jvms.size()];
        int n = 0;
        for (int i = 0; i < data.jvms.size(); i++) {
            cpuBase[i] = n;
            int max = -1;
            for (int b : data.jvms.get(i).buffers()) {
                max = Math.max(max, b);
            }
            n += max + 1;
        }
        cpus = Math.max(1, n);
    }

    public static Result write(DataFile data, boolean descriptor, Path out, Progress progress) throws IOException {
        return new TraceDat(data, descriptor).run(out, progress);
    }

    private Result run(Path out, Progress progress) throws IOException {
        int[] pages = new int[cpus];
        CpuPages counting = new CpuPages((cpu, page) -> pages[cpu]++);
        merge(counting, progress);
        if (progress != null) {
            progress.phase("writing", data.records());
        }

        String clock = data.jvms.isEmpty() || data.jvms.get(0).isCounter() ? "counter" : "mono";
        LeBytes head = Header.build(data.jvms, descriptor, cpus, clock);
        byte[] clockText = ("[" + clock + "]\n").getBytes(StandardCharsets.US_ASCII);
        long start = align(head.size() + 10 + 16L * cpus + 8 + clockText.length);
        long[] offset = new long[cpus];
        long at = start;
        for (int cpu = 0; cpu < cpus; cpu++) {
            offset[cpu] = at;
            at += (long) pages[cpu] * CpuPages.PAGE;
        }
        head.cstring("flyrecord");
        for (int cpu = 0; cpu < cpus; cpu++) {
            head.u64(pages[cpu] == 0 ? 0 : offset[cpu]).u64((long) pages[cpu] * CpuPages.PAGE);
        }
        head.u64(clockText.length).bytes(clockText, 0, clockText.length);
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writeFully(ch, ByteBuffer.wrap(head.array(), 0, head.size()), 0);
            int[] written = new int[cpus];
            CpuPages pagesOut = new CpuPages((cpu, page) -> {
                writeFully(ch, ByteBuffer.wrap(page), offset[cpu] + (long) written[cpu]++ * CpuPages.PAGE);
            });
            Result r = merge(pagesOut, progress);
            if (!Arrays.equals(written, pages)) {
                throw new IllegalStateException("the second pass wrote other pages than the first counted");
            }
            if (ch.size() < start) { // no records: the header's padding is still part of the file
                writeFully(ch, ByteBuffer.wrap(new byte[] {0}), start - 1);
            }
            r.cpus = cpus;
            r.lostShown = pagesOut.lostShown;
            r.lostUnshown = pagesOut.lostUnshown;
            return r;
        }
    }

    private static long align(long n) {
        return (n + CpuPages.PAGE - 1) / CpuPages.PAGE * CpuPages.PAGE;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            p += ch.write(b, p);
        }
    }

    private Result merge(CpuPages pages, Progress progress) throws IOException {
        Result r = new Result();
        List<Jvm> jvms = data.jvms;
        for (int i = 0; i < jvms.size(); i++) {
            Events e = new Events(i, cpuBase[i], pages, r);
            Merge.run(data, jvms.get(i), e, progress);
            e.endLosses();
        }
        pages.flushAll(true);
        return r;
    }

    /** Encodes one stream's records as ftrace events. */
    private static final class Events implements RecordSink {
        private final int jvm;
        private final int cpuBase;
        private final CpuPages pages;
        private final Result result;
        private final LeBytes ev = new LeBytes(64);
        /** Each CPU's last record type, to tell a loss right after an entry. */
        private int[] lastType = new int[16];
        /** Each CPU's last LOST record: its thread and time. */
        private ThreadInfo[] lostThread = new ThreadInfo[16];
        private long[] lostTs = new long[16];

        Events(int jvm, int cpuBase, CpuPages pages, Result result) {
            this.jvm = jvm;
            this.cpuBase = cpuBase;
            this.pages = pages;
            this.result = result;
        }

        private void common(int type, ThreadInfo t) {
            ev.reset();
            ev.u16(type).u8(0).u8(0).u32((int) t.id);
        }

        @Override
        public void record(Record r, BufferCursor cursor) throws IOException {
            int cpu = cpuBase + r.buffer;
            if (cpu >= lastType.length) {
                int n = Math.max(cpu + 1, lastType.length * 2);
                lastType = Arrays.copyOf(lastType, n);
                lostThread = Arrays.copyOf(lostThread, n);
                lostTs = Arrays.copyOf(lostTs, n);
            }
            int previous = lastType[cpu];
            lastType[cpu] = r.type;
            switch (r.type) {
                case Record.ENTRY:
                    common(Formats.FUNCGRAPH_ENTRY, r.thread);
                    ev.u64(Symbols.address(jvm, r.ip)).u32(r.arg - 1).u32(0);
                    break;
                case Record.RETURN:
                    common(Formats.FUNCGRAPH_EXIT, r.thread);
                    ev.u64(Symbols.address(jvm, r.ip)).u32(r.arg - 1).u32(0).u64(r.callTime()).u64(r.ts);
                    break;
                case Record.CALL:
                    common(Formats.FUNCTION, r.thread);
                    ev.u64(Symbols.address(jvm, r.ip)).u64(r.arg == 0 ? 0 : Symbols.address(jvm, r.arg));
                    break;
                case Record.MARKER:
                    common(Formats.PRINT, r.thread);
                    ev.u64(Symbols.MARKER);
                    text(r.text);
                    break;
                case Record.STACK: {
                    common(Formats.PRINT, r.thread);
                    ev.u64(Symbols.STACK);
                    StringBuilder sb = new StringBuilder("<stack trace>");
                    for (String f : r.frames) {
                        sb.append("\n => ").append(f);
                    }
                    text(sb.toString());
                    break;
                }
                default: // LOST
                    if (previous == Record.ENTRY) {
                        // trace-cmd takes an entry followed by its function's return as one leaf call and
                        // would swallow the return page's DROPPED line: an event between keeps them apart
                        common(Formats.PRINT, r.thread);
                        ev.u64(Symbols.LOST);
                        text(r.count + " records lost after this entry");
                        pages.event(cpu, r.ts, ev.array(), ev.size());
                        result.events++;
                    }
                    pages.lost(cpu, r.count);
                    lostThread[cpu] = r.thread;
                    lostTs[cpu] = r.ts;
                    return;
            }
            pages.event(cpu, r.ts, ev.array(), ev.size());
            result.events++;
        }

        /**
         * A loss that no record of its CPU follows would not be shown (trace-cmd prints the count
         * before the next record of the page that carries it): a print event follows it.
         */
        void endLosses() throws IOException {
            for (int cpu = cpuBase; cpu < lostThread.length; cpu++) {
                long n = pages.pendingLost(cpu);
                if (n > 0 && lostThread[cpu] != null) {
                    common(Formats.PRINT, lostThread[cpu]);
                    ev.u64(Symbols.LOST);
                    text(n + " records lost at the end of this buffer");
                    pages.event(cpu, lostTs[cpu], ev.array(), ev.size());
                    result.events++;
                }
            }
        }

        /** A print event's buf: the text and its NUL, cut to fit a page. */
        private void text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            ev.bytes(b, 0, Math.min(b.length, MAX_TEXT)).u8(0);
        }
    }
}
