package org.jftrace.filter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses the text written to {@code set_ftrace_filter} or {@code set_ftrace_notrace}: the JVM's
 * counterpart of the kernel's {@code ftrace_regex_write()} / {@code ftrace_process_regex()} loop,
 * which splits the write into tokens and hands each to the matcher or to a registered command.
 *
 * <p>Tokens are separated by whitespace (spaces, tabs, newlines); {@code #} starts a comment that runs
 * to the end of the line. Each token becomes a {@link FilterRule}. Unlike the kernel, which applies a
 * write token by token, everything is validated before anything is returned, so a bad write changes
 * nothing:
 * <ul>
 *   <li>a numeric index must lie in {@code 1..table.size()};</li>
 *   <li>a {@code mod:} module glob (with or without its {@code !}) must match at least one module of a
 *       function currently in the table, unless unknown modules are allowed (at JVM startup nothing is
 *       loaded yet).</li>
 * </ul>
 * A plain function glob that matches nothing yet is accepted: in a JVM, classes keep loading, so the
 * rule may match later (the kernel instead fails such a write with {@code -EINVAL}).
 */
public final class FilterParser {

    private FilterParser() {
    }

    /** Parses and validates, rejecting {@code mod:} globs that match no module in the table. */
    public static List<FilterRule> parse(String text, FunctionTable table) {
        return parse(text, table, false);
    }

    /**
     * @param text                the written text; null, empty or blank gives an empty list
     * @param table               the current functions, to check indexes and modules against
     * @param allowUnknownModules true to accept {@code mod:} globs that match no module yet (startup)
     * @return the rules in written order, unmodifiable
     * @throws FilterException for the first bad token; nothing is returned in that case
     */
    public static List<FilterRule> parse(String text, FunctionTable table, boolean allowUnknownModules) {
        List<String> tokens = tokens(text);
        if (tokens.isEmpty()) {
            return List.of();
        }
        List<FilterRule> rules = new ArrayList<>(tokens.size());
        Set<String> modules = null;
        for (String token : tokens) {
            FilterRule rule = FilterRule.parse(token);
            if (rule.kind() == FilterRule.Kind.INDEX) {
                checkIndex(rule, table.size());
            } else if (rule.kind() == FilterRule.Kind.MODULE && !allowUnknownModules) {
                if (modules == null) {
                    modules = modules(table);
                }
                checkModule(rule, modules);
            }
            rules.add(rule);
        }
        return Collections.unmodifiableList(rules);
    }

    /** Splits on whitespace, dropping {@code #} comments. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '#') {
                while (i < n && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                    i++;
                }
            } else if (Character.isWhitespace(c)) {
                i++;
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '#') {
                    i++;
                }
                out.add(text.substring(start, i));
            }
        }
        return out;
    }

    private static void checkIndex(FilterRule rule, int size) {
        int index = rule.index();
        if (index < 1 || index > size) {
            String digits = rule.negated() ? rule.text().substring(1) : rule.text();
            String range = size == 0 ? "no functions are loaded yet" : "1.." + size;
            throw new FilterException("index " + digits + " out of range (" + range + ")", rule.text());
        }
    }

    private static Set<String> modules(FunctionTable table) {
        Set<String> modules = new HashSet<>();
        String last = null;
        for (int i = 1, n = table.size(); i <= n; i++) {
            String m = table.module(i);
            if (m != last && m != null && !m.isEmpty()) {
                modules.add(m);
                last = m;
            }
        }
        return modules;
    }

    private static void checkModule(FilterRule rule, Set<String> modules) {
        Glob g = rule.moduleGlob();
        for (String m : modules) {
            if (g.matches(m)) {
                return;
            }
        }
        throw new FilterException("unknown module '" + g.pattern() + "'", g.pattern());
    }
}
