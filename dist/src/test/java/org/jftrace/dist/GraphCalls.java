package org.jftrace.dist;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls of a function graph as text shows them (jftrace's text with funcgraph-proc, or {@code
 * trace-cmd report}'s funcgraph events), per thread id in the order they began: "depth name duration".
 * A call is one line (a leaf, {@code name();}) or an opening line and its closing brace: the two
 * tools choose differently which calls are leaves, so both are read back to calls.
 */
final class GraphCalls {

    /** jftrace: {@code BUF)  TASK-PID | MARK DURATION | INDENT FUNCTION}. */
    private static final Pattern JFTRACE = Pattern.compile("^\\s*\\d+\\)\\s+\\S*-(\\d+)\\s+\\|(.*)$");
    /** trace-cmd: {@code TASK-PID [CPU] TIMESTAMP: funcgraph_entry|exit: MARK DURATION | INDENT FUNCTION}. */
    private static final Pattern TRACE_CMD = Pattern.compile("^\\s*.*-(\\d+)\\s+\\[\\d+\\]\\s+\\S+:\\s+funcgraph_(?:entry|exit):(.*)$");
    private static final Pattern TAIL = Pattern.compile("^\\s*[$@*#!+]?\\s*(?:(\\d+(?:\\.\\d+)?) us)?\\s*\\|  ((?:  )*)(\\S.*?)(?:\\s*/\\*.*\\*/)?$");

    private GraphCalls() {
    }

    static Map<Long, List<String>> jftrace(String text) {
        return parse(text, JFTRACE);
    }

    static Map<Long, List<String>> traceCmd(String text) {
        return parse(text, TRACE_CMD);
    }

    private static final class Open {
        final int index;
        final int depth;

        Open(int index, int depth) {
            this.index = index;
            this.depth = depth;
        }
    }

    private static Map<Long, List<String>> parse(String text, Pattern line) {
        Map<Long, List<String>> calls = new TreeMap<>();
        Map<Long, Deque<Open>> open = new TreeMap<>();
        for (String l : text.lines().toList()) {
            Matcher m = line.matcher(l);
            if (!m.matches()) {
                continue;
            }
            Matcher t = TAIL.matcher(m.group(2));
            if (!t.matches()) {
                throw new AssertionError("not a graph line: " + l);
            }
            long tid = Long.parseLong(m.group(1));
            List<String> list = calls.computeIfAbsent(tid, k -> new ArrayList<>());
            Deque<Open> stack = open.computeIfAbsent(tid, k -> new ArrayDeque<>());
            int depth = t.group(2).length() / 2 + 1;
            String f = t.group(3);
            if (f.endsWith("() {")) {
                stack.push(new Open(list.size(), depth));
                list.add(depth + " " + f.substring(0, f.length() - 4));
            } else if (f.endsWith("();")) {
                list.add(depth + " " + f.substring(0, f.length() - 3) + " " + norm(t.group(1)));
            } else if (f.equals("}")) {
                while (!stack.isEmpty() && stack.peek().depth > depth) {
                    stack.pop(); // its return was lost
                }
                if (!stack.isEmpty() && stack.peek().depth == depth) {
                    Open o = stack.pop();
                    list.set(o.index, list.get(o.index) + " " + norm(t.group(1)));
                }
            } else {
                throw new AssertionError("not a call: " + l);
            }
        }
        return calls;
    }

    /** A duration in ns as jftrace's text prints it: µs, with the decimals that fit 7 digits. */
    static String micros(long ns) {
        return norm(BigDecimal.valueOf(ns).movePointLeft(3));
    }

    /**
     * µs cut to the decimals jftrace's text keeps (up to 3, as many as fit 7 digits): trace-cmd keeps 3
     * whatever the length, so its figures are cut the same way before they are compared.
     */
    static String norm(BigDecimal us) {
        int digits = us.toBigInteger().toString().length();
        return us.setScale(digits < 7 ? Math.min(3, 7 - digits) : 0, RoundingMode.DOWN).toPlainString();
    }

    private static String norm(String us) {
        return norm(new BigDecimal(us));
    }
}
