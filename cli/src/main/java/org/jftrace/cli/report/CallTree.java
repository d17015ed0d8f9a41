package org.jftrace.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jftrace.cli.report.Slices.Slice;
import org.jftrace.cli.report.Slices.Track;

/**
 * Calls merged by stack: the tree a flame graph draws, and the collapsed stacks of {@code folded}.
 * Times are in the trace clock's unit (nanoseconds for {@code mono}).
 */
public final class CallTree {

    /** A frame: one function reached by one stack. */
    public static final class Node {
        public final String name;
        /** Time in this frame and below (every call through this stack). */
        public long total;
        /** Time in this frame itself. */
        public long self;
        /** Calls that reached this frame by this stack. */
        public long calls;
        public boolean threw;
        public final Map<String, Node> children = new LinkedHashMap<>();

        Node(String name) {
            this.name = name;
        }

        Node child(String n) {
            return children.computeIfAbsent(n, Node::new);
        }
    }

    /** Per function, as the profiler counts (trace_stat/function with and without graph-time). */
    public static final class FunctionStat {
        public final String name;
        public long calls;
        /** Sum of each call's whole duration (a recursive call's time counts at each level, as the profiler's). */
        public long total;
        public long self;

        FunctionStat(String name) {
            this.name = name;
        }
    }

    private CallTree() {
    }

    /** The top-down tree: root "all", then (with perThread) the thread, then the calls. */
    public static Node build(List<Track> tracks, boolean perThread, boolean descriptor) {
        Node root = new Node("all");
        for (Track t : tracks) {
            Node base = root;
            if (perThread) {
                base = root.child("[" + t.thread.label() + "]" + (multiJvm(tracks) ? " pid " + t.jvm.pid : ""));
            }
            long sum = 0;
            for (Slice s : t.roots) {
                add(base, s, descriptor);
                sum += s.duration();
            }
            if (base != root) {
                base.total += sum;
                base.calls = 0;
            }
            root.total += sum;
        }
        return root;
    }

    private static boolean multiJvm(List<Track> tracks) {
        return tracks.stream().map(t -> t.jvm).distinct().count() > 1;
    }

    private static void add(Node parent, Slice s, boolean descriptor) {
        Node n = parent.child(Slices.name(s.jvm, s.ip, descriptor));
        n.total += s.duration();
        n.self += s.self();
        n.calls++;
        n.threw |= s.exceptional;
        for (Slice c : s.children) {
            add(n, c, descriptor);
        }
    }

    /**
     * The bottom-up tree of self time: under the root, each function where time was spent itself,
     * then its callers, their callers, ... A node's {@code total} is the self time of the function at
     * the top of its path spent when called through this path; {@code calls} the calls counted there.
     */
    public static Node inverted(Node top) {
        Node root = new Node("all");
        List<Node> path = new ArrayList<>();
        invert(top, path, root);
        return root;
    }

    private static void invert(Node n, List<Node> path, Node root) {
        boolean frame = !path.isEmpty() || !n.name.equals("all");
        if (frame) {
            path.add(n);
        }
        if (frame && (n.self > 0 || (n.calls > 0 && n.children.isEmpty()))) {
            root.total += n.self;
            Node at = root;
            for (int i = path.size() - 1; i >= 0; i--) {
                at = at.child(path.get(i).name);
                at.total += n.self;
                at.calls += n.calls;
                if (i == path.size() - 1) {
                    at.self += n.self;
                }
            }
        }
        for (Node c : n.children.values()) {
            invert(c, path, root);
        }
        if (frame) {
            path.remove(path.size() - 1);
        }
    }

    /** Per function: calls, total (graph-time) and self time, as the function profiler would count them. */
    public static Map<String, FunctionStat> functions(List<Track> tracks, boolean descriptor) {
        Map<String, FunctionStat> m = new TreeMap<>();
        for (Track t : tracks) {
            for (Slice s : t.slices) {
                FunctionStat f = m.computeIfAbsent(Slices.name(s.jvm, s.ip, descriptor), FunctionStat::new);
                f.calls++;
                f.total += s.duration();
                f.self += s.self();
            }
        }
        return m;
    }

    /**
     * Brendan Gregg's collapsed stacks: {@code frame;frame;frame count}, one line per distinct stack,
     * sorted. With {@code calls}, the count is the number of calls that ended in the stack's last frame;
     * otherwise the self time of that frame (so each frame's width, its own count plus its
     * descendants', is its total time). Lines with a count of 0 are left out.
     */
    public static String folded(Node root, boolean calls) {
        Map<String, Long> lines = new TreeMap<>();
        for (Node c : root.children.values()) {
            fold(c, "", calls, lines);
        }
        StringBuilder sb = new StringBuilder();
        lines.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
        return sb.toString();
    }

    private static void fold(Node n, String prefix, boolean calls, Map<String, Long> lines) {
        String stack = prefix.isEmpty() ? frame(n.name) : prefix + ";" + frame(n.name);
        long count = calls ? n.calls : n.self;
        if (count > 0) {
            lines.merge(stack, count, Long::sum);
        }
        for (Node c : n.children.values()) {
            fold(c, stack, calls, lines);
        }
    }

    /** A frame may hold no ';' (descriptors: written as ','), no line break. */
    static String frame(String name) {
        return name.replace(';', ',').replace('\n', ' ').replace('\r', ' ');
    }
}
