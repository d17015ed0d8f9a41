package org.jftrace.agent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent's options: {@code -javaagent:jftrace.jar=key=value,key=value,...}. A key may repeat where
 * it takes a list ({@code include}, {@code exclude}). An unknown key or a bad value is an error that
 * names it; the agent then instruments nothing.
 */
public final class AgentOptions {

    /** Keys taking a list of values. */
    private static final List<String> LIST_KEYS = List.of("include", "exclude", "filter", "notrace",
            "graph_function", "graph_notrace", "trace_options");
    /** Keys taking one value. */
    private static final List<String> VALUE_KEYS = List.of("tracer", "output", "report", "clock",
            "buffer_size_kb", "max_graph_depth", "tracing_thresh", "func_args_strlen", "pid", "verbose", "instance", "control", "jmx", "data", "data_summary", "ended_budget_kb", "warmup", "check",
            "function_profile_enabled", "yes");

    private final Map<String, List<String>> values = new TreeMap<>();

    private AgentOptions() {
    }

    /** @throws IllegalArgumentException with a one-line message naming the bad token */
    public static AgentOptions parse(String text) {
        AgentOptions o = new AgentOptions();
        if (text == null || text.isBlank()) {
            return o;
        }
        for (String part : text.split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "true" : part.substring(eq + 1);
            if (!LIST_KEYS.contains(key) && !VALUE_KEYS.contains(key)) {
                key = oneLine(key);
                throw new IllegalArgumentException("unknown agent option '" + key + "' (known: "
                        + String.join(", ", LIST_KEYS) + ", " + String.join(", ", VALUE_KEYS) + ")");
            }
            List<String> list = o.values.computeIfAbsent(key, k -> new ArrayList<>());
            if (VALUE_KEYS.contains(key) && !list.isEmpty()) {
                throw new IllegalArgumentException("agent option '" + key + "' given twice");
            }
            list.add(value);
        }
        return o;
    }

    /** A token as a message may quote it: line breaks shown as \n, so every error stays one line. */
    static String oneLine(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    public List<String> list(String key) {
        return Collections.unmodifiableList(values.getOrDefault(key, List.of()));
    }

    public String get(String key, String dflt) {
        List<String> l = values.get(key);
        return l == null || l.isEmpty() ? dflt : l.get(0);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }
}
