package org.jftrace.cli.export;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.jftrace.cli.report.DataTail;
import org.jftrace.cli.report.Jvm;
import org.jftrace.cli.report.Record;
import org.jftrace.cli.report.ArgValue;
import org.jftrace.cli.report.ThreadInfo;

/**
 * Turns one stream's function_graph records into calls placed in traces, as they close.
 *
 * <p>Under tracing_thresh the records are returns only, and a child returns before its parent, so a
 * span must name a parent whose record has not come yet. The parent's id is therefore planned when
 * its first child closes: per thread, a slot per graph depth holds the id of the call running at
 * that depth, and the call takes it when its own return comes. A call at depth 1 roots a trace.
 * A slot whose call cannot be the one returning (another function's entry, or children that started
 * before it) is stale, left by a lost record: it is dropped, and its children keep a parent that
 * never arrives rather than a wrong one. A call shorter than the threshold is skipped; its children
 * (never longer than it) cannot have been exported, so none is left without its nearest ancestor.
 */
final class CallSpans {

    /** Takes each call as it closes; the {@link Call} is reused after the call. */
    interface Out {
        void call(Call c);
    }

    /** The calls open on one thread, by depth (index 0 unused). */
    private static final class Slots {
        final ThreadInfo thread;
        long[] id = new long[16];
        long[] firstChildStart = new long[16];
        boolean[] entered = new boolean[16];
        int[] entryIp = new int[16];
        long[] entryTs = new long[16];
        ArgValue[][] entryArgs = new ArgValue[16][];
        long traceHigh;
        long traceLow;

        Slots(ThreadInfo thread) {
            this.thread = thread;
        }

        void ensure(int depth) {
            if (depth >= id.length) {
                int n = Math.max(depth + 1, id.length * 2);
                id = Arrays.copyOf(id, n);
                firstChildStart = Arrays.copyOf(firstChildStart, n);
                entered = Arrays.copyOf(entered, n);
                entryIp = Arrays.copyOf(entryIp, n);
                entryTs = Arrays.copyOf(entryTs, n);
                entryArgs = Arrays.copyOf(entryArgs, n);
            }
        }

        void clear(int depth) {
            id[depth] = 0;
            entered[depth] = false;
            entryArgs[depth] = null;
        }

        void clearFrom(int depth) {
            for (int d = depth; d < id.length; d++) {
                clear(d);
            }
            if (depth <= 1) {
                traceHigh = 0;
                traceLow = 0;
            }
        }
    }

    private final Jvm jvm;
    private final long thresh;
    private final Out out;
    private final SplittableRandom random;
    private final Map<ThreadInfo, Slots> threads = new IdentityHashMap<>();
    private final Call call = new Call();
    /** Calls handed to {@link Out}. */
    long calls;

    /** @param thresh the shortest call exported, in the trace clock's unit (ns) */
    CallSpans(Jvm jvm, long thresh, Out out) {
        this(jvm, thresh, out, new SplittableRandom(new SecureRandom().nextLong()));
    }

    CallSpans(Jvm jvm, long thresh, Out out, SplittableRandom random) {
        this.jvm = jvm;
        this.thresh = thresh;
        this.out = out;
        this.random = random;
    }

    void record(Record r) {
        if (r.isLost()) { // what was open on the thread may have lost its return: start afresh
            Slots s = threads.get(r.thread);
            if (s != null) {
                s.clearFrom(1);
            }
            return;
        }
        if (!r.isGraph() || r.arg < 1) {
            return;
        }
        Slots s = threads.computeIfAbsent(r.thread, Slots::new);
        int d = r.arg;
        s.ensure(d);
        if (r.isEntry()) {
            s.clearFrom(d); // anything still open at this depth or deeper lost its return
            s.entered[d] = true;
            s.entryIp[d] = r.ip;
            s.entryTs[d] = r.ts;
            s.entryArgs[d] = r.args();
            return;
        }
        long start = r.callTime();
        if (s.entered[d] && s.entryIp[d] != r.ip || s.id[d] != 0 && s.firstChildStart[d] < start) {
            s.clear(d);
        }
        s.clearFrom(d + 1);
        if (r.duration < thresh && s.id[d] == 0) {
            s.clear(d); // returned: not open any more, though not exported
            if (d == 1) {
                s.clearFrom(1);
            }
            return;
        }
        emit(s, d, r.ip, start, r.ts, r.exceptional, false, s.entered[d] ? s.entryArgs[d] : null, r.returned());
        s.clear(d);
        if (d == 1) {
            s.clearFrom(1);
        }
    }

    /** Calls whose entry was read but not their return end at the stream's last timestamp. */
    void finish() {
        long last = DataTail.lastTs(jvm);
        for (Slots s : threads.values()) {
            for (int d = s.id.length - 1; d >= 1; d--) {
                if (s.entered[d] && (last - s.entryTs[d] >= thresh || s.id[d] != 0)) {
                    emit(s, d, s.entryIp[d], s.entryTs[d], Math.max(last, s.entryTs[d]), false, true, s.entryArgs[d], null);
                }
            }
            s.clearFrom(1);
        }
    }

    private void emit(Slots s, int d, int ip, long start, long end, boolean threw, boolean unfinished,
                      ArgValue[] args, ArgValue returned) {
        long id = s.id[d] != 0 ? s.id[d] : newId();
        long parent = 0;
        if (d > 1) {
            if (s.id[d - 1] == 0) {
                s.id[d - 1] = newId();
                s.firstChildStart[d - 1] = start;
            } else {
                s.firstChildStart[d - 1] = Math.min(s.firstChildStart[d - 1], start);
            }
            parent = s.id[d - 1];
        }
        if (s.traceHigh == 0 && s.traceLow == 0) {
            s.traceHigh = random.nextLong();
            s.traceLow = newId();
        }
        Call c = call;
        c.traceIdHigh = s.traceHigh;
        c.traceIdLow = s.traceLow;
        c.spanId = id;
        c.parentSpanId = parent;
        c.ip = ip;
        c.thread = s.thread;
        c.startEpochNanos = jvm.wallNanos(start);
        c.endEpochNanos = jvm.wallNanos(end);
        c.threw = threw;
        c.unfinished = unfinished;
        c.args = args;
        c.returned = returned;
        calls++;
        out.call(c);
    }

    private long newId() {
        long id;
        do {
            id = random.nextLong();
        } while (id == 0);
        return id;
    }
}
