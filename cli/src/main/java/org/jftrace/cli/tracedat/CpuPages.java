package org.jftrace.cli.tracedat;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The ring-buffer pages of each CPU, filled as the records come: a page is a u64 timestamp, a u64
 * commit (the data's length, and flags) and 4,080 bytes of events, each a 4-byte header
 * ({@code type_len:5 | time_delta:27}) and its record. A delta that does not fit 27 bits gets a
 * time-extend event first. Records lost before a page are flagged in its commit (missed events,
 * count stored after the data), which trace-cmd prints as {@code CPU:N [M EVENTS DROPPED]}.
 */
final class CpuPages {

    static final int PAGE = 4096;
    private static final int HEADER = 16;
    private static final int MAX_DELTA = (1 << 27) - 1;
    /** Open pages kept before all are written out: bounds the memory when there are many buffers. */
    private static final int MAX_OPEN = 1024;
    private static final long MISSED_EVENTS = 1L << 31;
    private static final long MISSED_STORED = 1L << 30;

    /** Where the finished pages go, each CPU's in order. */
    interface Sink {
        void page(int cpu, byte[] page) throws IOException;
    }

    private static final class Page {
        final byte[] b = new byte[PAGE];
        int pos;
        int events;
        long lastTs;
        long missed;
    }

    private final Sink sink;
    private final ArrayDeque<Page> free = new ArrayDeque<>();
    private Page[] open = new Page[16];
    private int openCount;
    /** Lost records whose page got no event after them: trace-cmd cannot show those. */
    long lostUnshown;
    long lostShown;

    CpuPages(Sink sink) {
        this.sink = sink;
    }

    private Page page(int cpu) throws IOException {
        if (cpu >= open.length) {
            open = Arrays.copyOf(open, Math.max(cpu + 1, open.length * 2));
        }
        Page p = open[cpu];
        if (p == null) {
            if (openCount >= MAX_OPEN) {
                flushAll(false);
            }
            p = free.isEmpty() ? new Page() : free.pop();
            p.pos = HEADER;
            p.events = 0;
            p.missed = 0;
            open[cpu] = p;
            openCount++;
        }
        return p;
    }

    /** Adds a record of {@code len} bytes at {@code ts}. */
    void event(int cpu, long ts, byte[] data, int len) throws IOException {
        int size = (len + 3) & ~3;
        int bytes = size <= 28 * 4 ? 4 + size : 8 + size;
        Page p = page(cpu);
        long delta = p.events == 0 ? 0 : Math.max(0, ts - p.lastTs);
        int need = bytes + (delta > MAX_DELTA ? 8 : 0);
        int limit = PAGE - (p.missed > 0 ? 8 : 0);
        if (p.events > 0 && p.pos + need > limit) {
            finish(cpu, p);
            p = page(cpu);
            delta = 0;
        }
        if (p.events == 0) {
            put64(p.b, 0, ts);
        } else if (delta > MAX_DELTA) {
            put32(p.b, p.pos, 30 | ((delta & MAX_DELTA) << 5));
            put32(p.b, p.pos + 4, delta >>> 27);
            p.pos += 8;
            delta = 0;
        }
        if (size <= 28 * 4) {
            put32(p.b, p.pos, (size / 4) | (delta << 5));
            p.pos += 4;
        } else {
            put32(p.b, p.pos, delta << 5);
            put32(p.b, p.pos + 4, size + 4);
            p.pos += 8;
        }
        System.arraycopy(data, 0, p.b, p.pos, len);
        Arrays.fill(p.b, p.pos + len, p.pos + size, (byte) 0);
        p.pos += size;
        if (p.events == 0) {
            lostShown += p.missed;
        }
        p.events++;
        p.lastTs = ts;
    }

    /** Records lost on the CPU that no event has followed yet. */
    long pendingLost(int cpu) {
        Page p = cpu < open.length ? open[cpu] : null;
        return p == null || p.events > 0 ? 0 : p.missed;
    }

    /** {@code count} records of the CPU went missing here: the next page carries the count. */
    void lost(int cpu, long count) throws IOException {
        Page p = page(cpu);
        if (p.events > 0) {
            finish(cpu, p);
            p = page(cpu);
        }
        p.missed += count;
    }

    private void finish(int cpu, Page p) throws IOException {
        long commit = p.pos - HEADER;
        int end = p.pos;
        if (p.missed > 0) {
            commit |= MISSED_EVENTS | MISSED_STORED;
            put64(p.b, p.pos, p.missed);
            end += 8;
        }
        put64(p.b, 8, commit);
        Arrays.fill(p.b, end, PAGE, (byte) 0);
        sink.page(cpu, p.b);
        open[cpu] = null;
        openCount--;
        free.push(p);
    }

    /** Writes the open pages that hold events; with {@code end}, drops the rest (losses nothing followed). */
    void flushAll(boolean end) throws IOException {
        for (int cpu = 0; cpu < open.length; cpu++) {
            Page p = open[cpu];
            if (p == null) {
                continue;
            }
            if (p.events > 0) {
                finish(cpu, p);
            } else if (end) {
                lostUnshown += p.missed;
                open[cpu] = null;
                openCount--;
                free.push(p);
            }
        }
    }

    private static void put32(byte[] b, int at, long v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private static void put64(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
