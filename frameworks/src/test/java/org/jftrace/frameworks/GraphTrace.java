package org.jftrace.frameworks;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls in a function_graph trace written with {@code funcgraph-tail}: an entry is a line
 * {@code NAME() {}, an exit {@code } /* NAME *}{@code /}, and a leaf {@code NAME();} is both.
 */
final class GraphTrace {

    private static final Pattern ENTRY = Pattern.compile("\\|\\s+([^\\s(){};|]+)\\(\\) \\{$");
    private static final Pattern LEAF = Pattern.compile("\\|\\s+([^\\s(){};|]+)\\(\\);");
    private static final Pattern EXIT = Pattern.compile("\\|\\s+\\} /\\* ([^\\s*]+) \\*/");

    final String header;
    final Map<String, long[]> calls = new TreeMap<>(); // name -> {entries, exits}
    long entries;
    long exits;
    /** Leaves and entries that have their exit in the trace (per name, the smaller of the two counts). */
    long complete;

    private GraphTrace(String header) {
        this.header = header;
    }

    static GraphTrace parse(String text) {
        GraphTrace t = new GraphTrace(text.length() > 200 ? text.substring(0, 200) : text);
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m;
            if ((m = LEAF.matcher(line)).find()) {
                t.add(m.group(1), 1, 1);
            } else if ((m = ENTRY.matcher(line)).find()) {
                t.add(m.group(1), 1, 0);
            } else if ((m = EXIT.matcher(line)).find()) {
                t.add(m.group(1), 0, 1);
            }
        }
        t.calls.values().forEach(c -> t.complete += Math.min(c[0], c[1]));
        return t;
    }

    private void add(String name, int entry, int exit) {
        long[] c = calls.computeIfAbsent(name, k -> new long[2]);
        c[0] += entry;
        c[1] += exit;
        entries += entry;
        exits += exit;
    }

    Set<String> functions() {
        return calls.keySet();
    }

    long entriesOf(String function) {
        return calls.getOrDefault(function, new long[2])[0];
    }

    long exitsOf(String function) {
        return calls.getOrDefault(function, new long[2])[1];
    }
}
