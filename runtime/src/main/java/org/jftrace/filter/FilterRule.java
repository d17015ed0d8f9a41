package org.jftrace.filter;

import java.util.List;

/**
 * One token written to {@code set_ftrace_filter} or {@code set_ftrace_notrace}, parsed: the JVM's
 * counterpart of what the kernel's {@code ftrace_process_regex()} / {@code filter_parse_regex()} make of
 * a token before matching records or dispatching to a registered {@code ftrace_func_command}.
 *
 * <p>Forms (each may start with {@code !}, which sets {@link #negated()}):
 * <ul>
 *   <li>{@link Kind#GLOB}: a function glob, e.g. {@code com.acme.Foo.*} (see {@link Glob} for how
 *       descriptors are treated);</li>
 *   <li>{@link Kind#INDEX}: a decimal 1-based index into {@code available_filter_functions}, e.g.
 *       {@code 42};</li>
 *   <li>{@link Kind#MODULE}: the kernel's {@code mod:} command, {@code FUNCGLOB:mod:MODGLOB}, where an
 *       empty or {@code *} function glob means every function of the matching modules, and a module glob
 *       starting with {@code !} selects functions <em>not</em> in a matching module (including functions
 *       with no known module, as the kernel's {@code mod:!*} selects core-kernel functions). A function
 *       whose module is {@code ""} never matches a positive module glob;</li>
 *   <li>{@link Kind#COMMAND}: a function probe command {@code FUNCGLOB:COMMAND[:PARAM]}, one of
 *       {@link #COMMANDS}. For {@code traceon}, {@code traceoff}, {@code stacktrace}, {@code snapshot},
 *       {@code dump} and {@code cpudump} the optional param is a non-negative count; for
 *       {@code enable_event} / {@code disable_event} it is required and reads
 *       {@code SYSTEM:EVENT[:COUNT]}. A leading {@code !} means "remove this probe", as in the kernel.</li>
 * </ul>
 *
 * <p>Parsing here checks syntax only; whether an index or module exists in the current function table is
 * checked by {@link FilterParser}. Instances are immutable; two rules are equal when their text is.
 */
public final class FilterRule {

    /** What a token selects or does. */
    public enum Kind { GLOB, INDEX, MODULE, COMMAND }

    /** The probe command names the kernel registers with {@code register_ftrace_command()}. */
    public static final List<String> COMMANDS = List.of(
            "traceon", "traceoff", "stacktrace", "snapshot", "dump", "cpudump", "enable_event", "disable_event");

    private final Kind kind;
    private final boolean negated;
    private final String text;
    private final Glob functionGlob;
    private final int index;
    private final Glob moduleGlob;
    private final boolean moduleNegated;
    private final String command;
    private final String param;
    private final int count;

    private FilterRule(Kind kind, boolean negated, String text, Glob functionGlob, int index,
                       Glob moduleGlob, boolean moduleNegated, String command, String param, int count) {
        this.kind = kind;
        this.negated = negated;
        this.text = text;
        this.functionGlob = functionGlob;
        this.index = index;
        this.moduleGlob = moduleGlob;
        this.moduleNegated = moduleNegated;
        this.command = command;
        this.param = param;
        this.count = count;
    }

    /**
     * Parses one whitespace-free token.
     *
     * @throws FilterException on bad syntax: bad glob, unknown command, bad count, missing module name
     */
    public static FilterRule parse(String token) {
        boolean neg = token.startsWith("!");
        String body = neg ? token.substring(1) : token;
        if (body.isEmpty()) {
            throw new FilterException("missing function after '!' in '" + token + "'", token);
        }
        int colon = body.indexOf(':');
        if (colon < 0) {
            if (isDigits(body)) {
                return new FilterRule(Kind.INDEX, neg, token, null, parseIndex(body), null, false, null, null, -1);
            }
            return new FilterRule(Kind.GLOB, neg, token, Glob.compile(body), 0, null, false, null, null, -1);
        }
        String func = body.substring(0, colon);
        String rest = body.substring(colon + 1);
        int colon2 = rest.indexOf(':');
        String cmd = colon2 < 0 ? rest : rest.substring(0, colon2);
        String param = colon2 < 0 ? null : rest.substring(colon2 + 1);
        if (cmd.isEmpty()) {
            throw new FilterException("missing command after ':' in '" + token + "'", token);
        }
        if (cmd.equals("mod")) {
            return parseModule(token, neg, func, param);
        }
        if (!COMMANDS.contains(cmd)) {
            throw new FilterException("unknown command '" + cmd + "' in '" + token + "' (known: mod, "
                    + String.join(", ", COMMANDS) + ")", cmd);
        }
        if (func.isEmpty()) {
            throw new FilterException("missing function before ':" + cmd + "' in '" + token + "'", token);
        }
        Glob funcGlob = Glob.compile(func);
        int count = -1;
        if (cmd.equals("enable_event") || cmd.equals("disable_event")) {
            String[] parts = param == null ? new String[0] : param.split(":", -1);
            if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
                String bad = param == null ? cmd : param;
                throw new FilterException(cmd + " needs SYSTEM:EVENT[:COUNT], got '" + (param == null ? "" : param)
                        + "' in '" + token + "'", bad);
            }
            if (parts.length == 3) {
                count = parseCount(parts[2], token);
            }
        } else if (param != null) {
            count = parseCount(param, token);
        }
        return new FilterRule(Kind.COMMAND, neg, token, funcGlob, 0, null, false, cmd, param, count);
    }

    private static FilterRule parseModule(String token, boolean neg, String func, String param) {
        if (param == null || param.isEmpty() || param.equals("!")) {
            throw new FilterException("missing module name after ':mod:' in '" + token + "'", token);
        }
        if (param.indexOf(':') >= 0) {
            throw new FilterException("unexpected ':' in module name '" + param + "' in '" + token + "'", param);
        }
        boolean modNeg = param.startsWith("!");
        Glob modGlob = Glob.compile(modNeg ? param.substring(1) : param);
        Glob funcGlob = func.isEmpty() || func.equals("*") ? null : Glob.compile(func);
        return new FilterRule(Kind.MODULE, neg, token, funcGlob, 0, modGlob, modNeg, "mod", param, -1);
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** @return the index, or 0 (never valid) when it does not fit an int. */
    private static int parseIndex(String digits) {
        return Math.max(0, parseNonNegative(digits));
    }

    /** @return the value of a string of decimal digits, or -1 when it does not fit an int. */
    private static int parseNonNegative(String digits) {
        long v = 0;
        for (int i = 0; i < digits.length(); i++) {
            v = v * 10 + (digits.charAt(i) - '0');
            if (v > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return (int) v;
    }

    private static int parseCount(String s, String token) {
        int v = s.isEmpty() || !isDigits(s) ? -1 : parseNonNegative(s);
        if (v < 0) {
            throw new FilterException("bad count '" + s + "' in '" + token + "' (want a non-negative integer)", s);
        }
        return v;
    }

    /**
     * Whether this rule's selector picks function {@code index}, ignoring {@link #negated()}: for GLOB
     * and COMMAND the function glob, for INDEX the index, for MODULE the module glob and function glob.
     */
    public boolean matches(int index, FunctionTable table) {
        return matches(index, table, null);
    }

    /** As {@link #matches(int, FunctionTable)}, reading the name through {@code scratch} when not null. */
    public boolean matches(int index, FunctionTable table, Latin1Name scratch) {
        switch (kind) {
            case INDEX:
                return index == this.index;
            case MODULE:
                return matchesModule(table.module(index))
                        && (functionGlob == null || functionGlob.matchesFunction(nameOf(index, table, scratch)));
            default:
                return functionGlob.matchesFunction(nameOf(index, table, scratch));
        }
    }

    private static CharSequence nameOf(int index, FunctionTable table, Latin1Name scratch) {
        return scratch == null ? table.name(index) : table.name(index, scratch);
    }

    /**
     * For a MODULE rule: whether a function in {@code module} is in scope. {@code ""} (unknown module)
     * matches only a negated module glob, as a core-kernel function matches only {@code mod:!...}.
     */
    public boolean matchesModule(String module) {
        if (moduleGlob == null) {
            return false;
        }
        if (module == null || module.isEmpty()) {
            return moduleNegated;
        }
        return moduleGlob.matches(module) != moduleNegated;
    }

    /** @return the kind of token. */
    public Kind kind() {
        return kind;
    }

    /** @return true for a leading {@code !}: remove the selected functions (or the probe). */
    public boolean negated() {
        return negated;
    }

    /** @return the token as written, including any {@code !}. */
    public String text() {
        return text;
    }

    /** @return the function glob; null for INDEX, and for a MODULE rule that takes all functions. */
    public Glob functionGlob() {
        return functionGlob;
    }

    /** @return for INDEX, the 1-based index as written (0 if it does not fit an int); otherwise 0. */
    public int index() {
        return index;
    }

    /** @return for MODULE, the module glob without its {@code !}; otherwise null. */
    public Glob moduleGlob() {
        return moduleGlob;
    }

    /** @return for MODULE, true when the module glob had a leading {@code !}. */
    public boolean moduleNegated() {
        return moduleNegated;
    }

    /** @return for COMMAND, the command name (for MODULE, {@code "mod"}); otherwise null. */
    public String command() {
        return command;
    }

    /** @return the text after {@code COMMAND:}, or null when absent (for MODULE, the module glob as written). */
    public String param() {
        return param;
    }

    /** @return for COMMAND, the count given (for the event commands, the third field); -1 when none. */
    public int count() {
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FilterRule && ((FilterRule) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
