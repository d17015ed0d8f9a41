package org.jftrace.cli.report;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Calls merged by stack as they close: the tree a flame graph draws, the collapsed stacks of
 * {@code folded} and the per-function figures. Its size is that of the distinct stacks and functions,
 * whatever the number of calls. Times are in the trace clock's unit (nanoseconds for {@code mono}).
 */
public final class CallTree implements Calls.Listener {

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
        /** A few calls' arguments and return values ({@link Jvm#callValues}), or null: the flame graph's tooltip shows them. */
        public List<String> samples;
        public final Map<String, Node> children = new LinkedHashMap<>();

        Node(String name) {
            this.name = name;
        }

        Node child(String n) {
            Node c = children.get(n);
            if (c == null) {
                c = new Node(n);
                children.put(n, c);
            }
            return c;
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

    /** Sample values kept per frame: a few, so that the tree's size stays that of its stacks. */
    static final int SAMPLES = 3;

    public final Node root = new Node("all");
    private final Map<String, FunctionStat> functions = new HashMap<>();
    private final boolean perThread;
    private final boolean descriptor;
    private final boolean multiJvm;
    private Jvm jvm;
    /** Calls counted. */
    public long calls;

    public CallTree(boolean perThread, boolean descriptor, boolean multiJvm) {
        this.perThread = perThread;
        this.descriptor = descriptor;
        this.multiJvm = multiJvm;
    }

    /** The stream whose calls come next. */
    public void jvm(Jvm j) {
        this.jvm = j;
    }

    private Node base(ThreadInfo t) {
        return perThread ? root.child("[" + t.label() + "]" + (multiJvm ? " pid " + jvm.pid : "")) : root;
    }

    @Override
    public void enter(Calls.Frame f) {
        Node parent = f.parent != null ? (Node) f.parent.node : base(f.thread);
        f.node = parent.child(jvm.name(f.ip, descriptor));
    }

    @Override
    public void exit(Calls.Frame f) {
        Node n = (Node) f.node;
        long d = f.duration();
        long self = f.self();
        n.total += d;
        n.self += self;
        n.calls++;
        n.threw |= f.threw;
        if ((f.args != null || f.returned) && (n.samples == null || n.samples.size() < SAMPLES)) {
            String v = jvm.callValues(f.ip, f.args, f.returned, f.threw, f.ret, f.retval);
            if (v != null) {
                if (n.samples == null) {
                    n.samples = new ArrayList<>(SAMPLES);
                }
                if (!n.samples.contains(v)) {
                    n.samples.add(v);
                }
            }
        }
        calls++;
        if (f.parent == null) {
            Node base = base(f.thread);
            if (base != root) {
                base.total += d;
            }
            root.total += d;
        }
        String name = n.name;
        FunctionStat s = functions.get(name);
        if (s == null) {
            s = new FunctionStat(name);
            functions.put(name, s);
        }
        s.calls++;
        s.total += d;
        s.self += self;
    }

    /** Per function, by name: calls, total (graph-time) and self time, as the function profiler counts them. */
    public Map<String, FunctionStat> functions() {
        return new TreeMap<>(functions);
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

    /**
     * Brendan Gregg's collapsed stacks: {@code frame;frame;frame count}, one line per distinct stack,
     * sorted. With {@code calls}, the count is the number of calls that ended in the stack's last frame;
     * otherwise the self time of that frame (so each frame's width, its own count plus its
     * descendants', is its total time). Lines with a count of 0 are left out.
     */
    public static void folded(Node root, boolean calls, Writer out) throws IOException {
        Map<String, Long> lines = new TreeMap<>();
        for (Node c : root.children.values()) {
            fold(c, "", calls, lines);
        }
        for (Map.Entry<String, Long> e : lines.entrySet()) {
            out.write(e.getKey());
            out.write(' ');
            out.write(Long.toString(e.getValue()));
            out.write('\n');
        }
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
