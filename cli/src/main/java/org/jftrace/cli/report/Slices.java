package org.jftrace.cli.report;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jftrace.cli.report.TraceData.Event;
import org.jftrace.cli.report.TraceData.Jvm;
import org.jftrace.cli.report.TraceData.ThreadInfo;

/**
 * The calls of function_graph data as slices: one per call, from its entry to its return, nested per
 * thread as the graph nests them. A return carries its calltime, so a call whose entry was overwritten
 * in the ring is still whole; a call still running when the trace was written ends at the trace's last
 * timestamp and is marked unfinished.
 */
public final class Slices {

    /** One call. */
    public static final class Slice {
        public final Jvm jvm;
        public final ThreadInfo thread;
        public final int ip;
        public final long start;
        public final long end;
        public final int depth;
        public final boolean exceptional;
        public final boolean unfinished;
        public Slice parent;
        public final List<Slice> children = new ArrayList<>();

        Slice(Jvm jvm, ThreadInfo thread, int ip, long start, long end, int depth, boolean exceptional, boolean unfinished) {
            this.jvm = jvm;
            this.thread = thread;
            this.ip = ip;
            this.start = start;
            this.end = end;
            this.depth = depth;
            this.exceptional = exceptional;
            this.unfinished = unfinished;
        }

        public long duration() {
            return end - start;
        }

        /** The time not spent in traced children. */
        public long self() {
            long s = duration();
            for (Slice c : children) {
                s -= c.duration();
            }
            return Math.max(0, s);
        }

        /** Nesting level from 0 (a slice without a traced parent). */
        public int level() {
            int l = 0;
            for (Slice p = parent; p != null; p = p.parent) {
                l++;
            }
            return l;
        }
    }

    /** A thread's slices in (start, longest first) order: parents before their children. */
    public static final class Track {
        public final Jvm jvm;
        public final ThreadInfo thread;
        public final List<Slice> slices = new ArrayList<>();
        public final List<Slice> roots = new ArrayList<>();

        Track(Jvm jvm, ThreadInfo thread) {
            this.jvm = jvm;
            this.thread = thread;
        }
    }

    private Slices() {
    }

    /** @return whether the JVM's data has function_graph records. */
    public static boolean hasGraph(Jvm jvm) {
        for (Event e : jvm.events) {
            if (e.type == TraceData.ENTRY || e.type == TraceData.RETURN) {
                return true;
            }
        }
        return false;
    }

    private static final class Open {
        final Event entry;

        Open(Event entry) {
            this.entry = entry;
        }
    }

    /** The tracks of one JVM, in the order their threads first appear. */
    public static List<Track> tracks(Jvm jvm) {
        Map<ThreadInfo, Track> tracks = new IdentityHashMap<>();
        List<Track> order = new ArrayList<>();
        Map<ThreadInfo, ArrayDeque<Open>> open = new LinkedHashMap<>();
        long last = Long.MIN_VALUE;
        for (Event e : jvm.events) {
            last = Math.max(last, e.ts);
            if (e.type != TraceData.ENTRY && e.type != TraceData.RETURN) {
                continue;
            }
            Track t = tracks.get(e.thread);
            if (t == null) {
                t = new Track(jvm, e.thread);
                tracks.put(e.thread, t);
                order.add(t);
            }
            ArrayDeque<Open> stack = open.computeIfAbsent(e.thread, k -> new ArrayDeque<>());
            if (e.type == TraceData.ENTRY) {
                stack.push(new Open(e));
            } else {
                Open top = stack.peek();
                if (top != null && top.entry.ip == e.ip && top.entry.arg == e.arg) {
                    stack.pop();
                }
                t.slices.add(new Slice(jvm, e.thread, e.ip, e.callTime(), e.ts, e.arg, e.exceptional, false));
            }
        }
        for (Map.Entry<ThreadInfo, ArrayDeque<Open>> o : open.entrySet()) {
            for (Open op : o.getValue()) {
                tracks.get(o.getKey()).slices.add(new Slice(jvm, o.getKey(), op.entry.ip, op.entry.ts, last,
                        op.entry.arg, false, true));
            }
        }
        for (Track t : order) {
            t.slices.sort(Comparator.comparingLong((Slice s) -> s.start).thenComparing(s -> -s.end)
                    .thenComparingInt(s -> s.depth));
            ArrayDeque<Slice> stack = new ArrayDeque<>();
            for (Slice s : t.slices) {
                while (!stack.isEmpty() && !(stack.peek().start <= s.start && s.end <= stack.peek().end)) {
                    stack.pop();
                }
                if (stack.isEmpty()) {
                    t.roots.add(s);
                } else {
                    s.parent = stack.peek();
                    stack.peek().children.add(s);
                }
                stack.push(s);
            }
        }
        return order;
    }

    /** Every track of every JVM. */
    public static List<Track> tracks(TraceData data) {
        List<Track> all = new ArrayList<>();
        for (Jvm j : data.jvms) {
            all.addAll(tracks(j));
        }
        return all;
    }

    /** Display names: without the descriptor unless asked for. */
    public static String name(Jvm jvm, int ip, boolean descriptor) {
        String n = jvm.function(ip);
        int p = n.indexOf('(');
        return descriptor || p < 0 ? n : n.substring(0, p);
    }
}
