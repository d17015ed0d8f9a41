package org.jftrace.filter;

import java.util.Arrays;

/**
 * A compiled shell-style glob: the JVM's counterpart of the kernel's {@code glob_match()}
 * ({@code lib/glob.c}), which ftrace uses for {@code MATCH_GLOB} patterns written to
 * {@code set_ftrace_filter} and {@code set_ftrace_notrace}. The kernel's cheaper special cases
 * ({@code MATCH_FULL}, {@code MATCH_FRONT_ONLY}, {@code MATCH_MIDDLE_ONLY}, {@code MATCH_END_ONLY}) are
 * all just globs here.
 *
 * <p>Syntax:
 * <ul>
 *   <li>{@code *} matches any run of characters, including none, anywhere in the pattern;</li>
 *   <li>{@code ?} matches exactly one character;</li>
 *   <li>{@code [abc]}, {@code [a-z]} match one character of the class; {@code [!a-z]} and
 *       {@code [^a-z]} one character not in it. A {@code -} first or last in the class is literal; a
 *       {@code ]} in a class must be escaped ({@code []]} is not accepted, nor is an empty class);</li>
 *   <li>{@code \} makes the next character literal, inside or outside a class.</li>
 * </ul>
 *
 * <p>Function names: ftrace matches a pattern against a bare symbol name, while a JVM function is named
 * with its descriptor, {@code pkg.Cls.method(DESC)RET}. {@link #matchesFunction(CharSequence)} therefore
 * matches a pattern without a {@code (} against the name with the descriptor cut off, so
 * {@code com.acme.Foo.bar} selects every overload of {@code bar} and {@code com.acme.*} everything in
 * {@code com.acme} and its subpackages; a pattern with a {@code (} is matched against the full name.
 *
 * <p>Matching never allocates and runs in O(pattern &times; text) time (iterative star backtracking,
 * no recursion), so a hostile pattern such as {@code *a*a*a*a*b} cannot take exponential time.
 * Instances are immutable and thread-safe.
 */
public final class Glob {

    private static final byte LIT = 0;
    private static final byte ANY = 1;
    private static final byte STAR = 2;
    private static final byte CLASS = 3;

    private final String pattern;
    /** Element kinds, one per element of the compiled pattern (consecutive stars collapsed). */
    private final byte[] kind;
    /** LIT: the character; CLASS: the class number. */
    private final int[] arg;
    /** Per class: start/end offsets into {@link #ranges} (pairs lo, hi) and whether it is negated. */
    private final int[] classStart;
    private final int[] classEnd;
    private final boolean[] classNegated;
    private final char[] ranges;
    private final boolean literal;
    private final boolean fullName;

    private Glob(String pattern, byte[] kind, int[] arg, int[] classStart, int[] classEnd,
                 boolean[] classNegated, char[] ranges) {
        this.pattern = pattern;
        this.kind = kind;
        this.arg = arg;
        this.classStart = classStart;
        this.classEnd = classEnd;
        this.classNegated = classNegated;
        this.ranges = ranges;
        boolean lit = true;
        for (byte k : kind) {
            lit &= k == LIT;
        }
        this.literal = lit;
        this.fullName = pattern.indexOf('(') >= 0;
    }

    /**
     * @param pattern the glob as the user wrote it
     * @return the compiled glob
     * @throws FilterException on bad syntax (unterminated or empty {@code [...]}, reversed range,
     *                         trailing {@code \}); the message names the pattern
     */
    public static Glob compile(String pattern) {
        int n = pattern.length();
        byte[] kind = new byte[n];
        int[] arg = new int[n];
        int[] cStart = new int[4];
        int[] cEnd = new int[4];
        boolean[] cNeg = new boolean[4];
        char[] ranges = new char[8];
        int nr = 0;
        int classes = 0;
        int len = 0;
        int i = 0;
        while (i < n) {
            char c = pattern.charAt(i++);
            switch (c) {
                case '*':
                    if (len == 0 || kind[len - 1] != STAR) {
                        kind[len++] = STAR;
                    }
                    break;
                case '?':
                    kind[len++] = ANY;
                    break;
                case '\\':
                    if (i >= n) {
                        throw bad(pattern, "trailing '\\'");
                    }
                    kind[len] = LIT;
                    arg[len++] = pattern.charAt(i++);
                    break;
                case '[': {
                    boolean neg = false;
                    if (i < n && (pattern.charAt(i) == '!' || pattern.charAt(i) == '^')) {
                        neg = true;
                        i++;
                    }
                    int start = nr;
                    boolean closed = false;
                    while (i < n) {
                        char a = pattern.charAt(i++);
                        if (a == ']') {
                            closed = true;
                            break;
                        }
                        if (a == '\\') {
                            if (i >= n) {
                                throw bad(pattern, "trailing '\\'");
                            }
                            a = pattern.charAt(i++);
                        }
                        char b = a;
                        if (i + 1 < n && pattern.charAt(i) == '-' && pattern.charAt(i + 1) != ']') {
                            int rs = i - 1;
                            i++;
                            b = pattern.charAt(i++);
                            if (b == '\\') {
                                if (i >= n) {
                                    throw bad(pattern, "trailing '\\'");
                                }
                                b = pattern.charAt(i++);
                            }
                            if (b < a) {
                                throw bad(pattern, "reversed range '" + pattern.substring(rs, i) + "'");
                            }
                        }
                        if (nr + 2 > ranges.length) {
                            ranges = Arrays.copyOf(ranges, ranges.length * 2);
                        }
                        ranges[nr++] = a;
                        ranges[nr++] = b;
                    }
                    if (!closed) {
                        throw bad(pattern, "unterminated '[' (write '\\[' for a literal '[')");
                    }
                    if (nr == start) {
                        throw bad(pattern, "empty '[]' (write '\\]' for a literal ']')");
                    }
                    if (classes == cStart.length) {
                        cStart = Arrays.copyOf(cStart, classes * 2);
                        cEnd = Arrays.copyOf(cEnd, classes * 2);
                        cNeg = Arrays.copyOf(cNeg, classes * 2);
                    }
                    cStart[classes] = start;
                    cEnd[classes] = nr;
                    cNeg[classes] = neg;
                    kind[len] = CLASS;
                    arg[len++] = classes++;
                    break;
                }
                default:
                    kind[len] = LIT;
                    arg[len++] = c;
            }
        }
        return new Glob(pattern, Arrays.copyOf(kind, len), Arrays.copyOf(arg, len),
                Arrays.copyOf(cStart, classes), Arrays.copyOf(cEnd, classes), Arrays.copyOf(cNeg, classes),
                Arrays.copyOf(ranges, nr));
    }

    private static FilterException bad(String pattern, String why) {
        return new FilterException("bad glob '" + pattern + "': " + why, pattern);
    }

    /** @return the pattern as written. */
    public String pattern() {
        return pattern;
    }

    /** @return true when the pattern has no {@code *}, {@code ?} or class: it matches one string only. */
    public boolean isLiteral() {
        return literal;
    }

    /** @return true when the whole of {@code s} matches the pattern. Allocation-free. */
    public boolean matches(CharSequence s) {
        return matches(s, 0, s.length());
    }

    /**
     * Matches a function name: against the full name if the pattern contains {@code (}, otherwise
     * against the name up to (not including) its first {@code (}. Allocation-free.
     *
     * @param functionName e.g. {@code com.acme.Foo.bar(ILjava/lang/String;)V}
     */
    public boolean matchesFunction(CharSequence functionName) {
        int end = functionName.length();
        if (!fullName) {
            if (functionName instanceof String) { // String.indexOf is a vectorised intrinsic
                int paren = ((String) functionName).indexOf('(');
                end = paren < 0 ? end : paren;
            } else if (functionName instanceof Latin1Name) { // a packed table's scan
                int paren = ((Latin1Name) functionName).indexOf('(');
                end = paren < 0 ? end : paren;
            } else {
                for (int i = 0; i < end; i++) {
                    if (functionName.charAt(i) == '(') {
                        end = i;
                        break;
                    }
                }
            }
        }
        return matches(functionName, 0, end);
    }

    /** Static form of {@link #matchesFunction(CharSequence)}. */
    public static boolean matchesFunction(Glob glob, CharSequence functionName) {
        return glob.matchesFunction(functionName);
    }

    /**
     * Whether some string that begins with {@code prefix} matches: for a class name followed by a
     * dot, whether a function of that class may. Runs the pattern as a set of positions over the
     * prefix (O(pattern * prefix)); any position still alive at its end can be completed.
     */
    public boolean mayMatchPrefix(CharSequence prefix) {
        final int n = kind.length;
        boolean[] at = new boolean[n + 1];
        boolean[] next = new boolean[n + 1];
        at[0] = true;
        starClosure(at);
        for (int i = 0, len = prefix.length(); i < len; i++) {
            char c = prefix.charAt(i);
            java.util.Arrays.fill(next, false);
            boolean alive = false;
            for (int p = 0; p < n; p++) {
                if (!at[p]) {
                    continue;
                }
                byte k = kind[p];
                if (k == STAR) {
                    next[p] = true; // the star takes c
                    alive = true;
                } else if (k == ANY || (k == LIT ? arg[p] == c : inClass(arg[p], c))) {
                    next[p + 1] = true;
                    alive = true;
                }
            }
            if (!alive) {
                return false;
            }
            starClosure(next);
            boolean[] t = at;
            at = next;
            next = t;
        }
        return true;
    }

    /** Marks the positions after any star that is reachable (a star may take nothing). */
    private void starClosure(boolean[] at) {
        for (int p = 0; p < kind.length; p++) {
            if (at[p] && kind[p] == STAR) {
                at[p + 1] = true;
            }
        }
    }

    /** Iterative matching with single-star backtracking: O(pattern * text), no allocation. */
    private boolean matches(CharSequence s, int from, int to) {
        final byte[] kind = this.kind;
        final int n = kind.length;
        int p = 0;
        int i = from;
        int starP = -1;
        int starI = -1;
        while (i < to) {
            if (p < n) {
                byte k = kind[p];
                if (k == STAR) {
                    starP = p++;
                    starI = i;
                    continue;
                }
                if (k == ANY || (k == LIT ? arg[p] == s.charAt(i) : inClass(arg[p], s.charAt(i)))) {
                    p++;
                    i++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            // Let the last star swallow one more character and retry from just after it.
            p = starP + 1;
            i = ++starI;
        }
        while (p < n && kind[p] == STAR) {
            p++;
        }
        return p == n;
    }

    private boolean inClass(int cls, char c) {
        boolean in = false;
        for (int r = classStart[cls], end = classEnd[cls]; r < end; r += 2) {
            if (ranges[r] <= c && c <= ranges[r + 1]) {
                in = true;
                break;
            }
        }
        return in != classNegated[cls];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Glob && ((Glob) o).pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
