package org.jftrace.filter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The set of functions a filter selects: the JVM's counterpart of the kernel's {@code struct ftrace_hash}
 * as used for {@code ops->func_hash->filter_hash} (from {@code set_ftrace_filter}) and
 * {@code ops->func_hash->notrace_hash} (from {@code set_ftrace_notrace}).
 *
 * <p>The kernel's hash is a plain set of addresses, computed once when the file is written, because
 * the kernel's functions are all known by then. In a JVM functions keep appearing as classes load, so
 * this hash keeps the ordered rules as well as a membership bitmap over function indexes, and
 * {@link #onNewFunction} decides each new function by the same rules. Membership of a function is:
 * evaluate the rules in order, a matching positive rule adds it, a matching negated ({@code !}) rule
 * removes it — equivalently, the last matching rule decides, and no match means out. So {@code foo*}
 * followed by {@code !foobar} is {@code foo*} minus {@code foobar}, for functions loaded later too.
 *
 * <p>{@link #isEmpty()} (no rules) means "trace all" for a filter hash and "exclude none" for a notrace
 * hash, as for the kernel's empty hash. As in the kernel, a {@code !} rule written to an empty hash
 * removes nothing: negated rules before the first positive rule are dropped, and a hash left with no
 * positive rule is empty. Unlike the kernel, removing every function a positive rule added does
 * <em>not</em> turn the hash back into "trace all": the rules stay, and so does the exclusion of
 * matching functions that load later.
 *
 * <p>Command rules ({@link FilterRule.Kind#COMMAND}) are probes, not members, and are ignored here.
 *
 * <p>Concurrency: {@link #with} never changes this hash (copy-on-write), so a caller can build the new
 * hash and swap a single reference, as the kernel swaps the hash pointer under RCU. {@link #onNewFunction}
 * does change this hash; calls to it and to {@link #with} must be serialised by the caller (one lock).
 * {@link #contains} may be called from any thread at any time and never allocates or locks.
 */
public final class FilterHash {

    private static final FilterRule[] NO_RULES = new FilterRule[0];
    private static final FilterHash EMPTY = new FilterHash(NO_RULES, new long[0], 0, 0);

    private final FilterRule[] rules;
    private final List<FilterRule> ruleList;
    /** Membership bitmap: bit i is function i. Replaced (never shrunk) when it grows. */
    private volatile long[] words;
    private int count;
    /** Functions 1..known have been evaluated. */
    private int known;

    private FilterHash(FilterRule[] rules, long[] words, int count, int known) {
        this.rules = rules;
        this.ruleList = Collections.unmodifiableList(Arrays.asList(rules));
        this.words = words;
        this.count = count;
        this.known = known;
    }

    /** @return the hash with no rules: "trace all" as a filter, "exclude none" as a notrace list. */
    public static FilterHash empty() {
        return EMPTY;
    }

    /**
     * Applies a write: returns a new hash, leaving this one unchanged.
     *
     * @param rules the parsed rules ({@link FilterParser}); COMMAND rules are ignored
     * @param reset true to replace the rules ({@code echo x > set_ftrace_filter}; an empty list gives
     *              {@link #empty()}), false to append ({@code echo x >> set_ftrace_filter})
     * @param table the current functions; membership is computed for all of them
     */
    public FilterHash with(List<FilterRule> rules, boolean reset, FunctionTable table) {
        List<FilterRule> added = new ArrayList<>(rules.size());
        for (FilterRule r : rules) {
            if (r.kind() != FilterRule.Kind.COMMAND) {
                added.add(r);
            }
        }
        boolean incremental = !reset && this.rules.length > 0;
        List<FilterRule> combined = new ArrayList<>();
        if (!reset) {
            combined.addAll(this.ruleList);
        }
        combined.addAll(added);
        FilterRule[] all = normalise(combined);
        if (all.length == 0) {
            return EMPTY;
        }
        int size = table.size();
        long[] w = new long[wordsFor(size)];
        int from = 1;
        Latin1Name scratch = new Latin1Name();
        if (incremental) {
            // this.rules already starts with a positive rule, so nothing of 'added' was dropped:
            // the old membership stands unless one of the added rules matches.
            FilterRule[] add = added.toArray(NO_RULES);
            long[] old = this.words;
            int upTo = Math.min(known, size);
            System.arraycopy(old, 0, w, 0, Math.min(old.length, wordsFor(upTo)));
            if (allNegated(add)) {
                for (int i = nextSetBit(w, 1); i > 0 && i <= upTo; i = nextSetBit(w, i + 1)) {
                    if (anyMatches(add, i, table, scratch)) {
                        w[i >>> 6] &= ~(1L << i);
                    }
                }
            } else {
                for (int i = 1; i <= upTo; i++) {
                    int decision = decide(add, i, table, scratch);
                    if (decision > 0) {
                        w[i >>> 6] |= 1L << i;
                    } else if (decision < 0) {
                        w[i >>> 6] &= ~(1L << i);
                    }
                }
            }
            from = upTo + 1;
        }
        for (int i = from; i <= size; i++) {
            if (decide(all, i, table, scratch) > 0) {
                w[i >>> 6] |= 1L << i;
            }
        }
        return new FilterHash(all, w, bitCount(w), size);
    }

    /**
     * Decides a function that has just been added to the table (a class loaded) and records it. Cheap:
     * the rules are evaluated for this one function only. Call under the lock that also guards
     * {@link #with}; the new bit is visible to {@link #contains} on other threads.
     */
    public void onNewFunction(int index, FunctionTable table) {
        if (rules.length == 0 || index < 1) {
            return;
        }
        boolean in = decide(rules, index, table, null) > 0;
        long[] w = words;
        int wi = index >>> 6;
        long bit = 1L << index;
        if (wi >= w.length) {
            if (!in) {
                known = Math.max(known, index);
                return;
            }
            w = Arrays.copyOf(w, Math.max(wi + 1, w.length * 2));
            w[wi] |= bit;
            count++;
            words = w;
        } else if (in && (w[wi] & bit) == 0) {
            w[wi] |= bit;
            count++;
        } else if (!in && (w[wi] & bit) != 0) {
            w[wi] &= ~bit;
            count--;
        }
        known = Math.max(known, index);
    }

    /** @return true when function {@code index} is a member. Allocation-free; any thread. */
    public boolean contains(int index) {
        long[] w = words;
        int wi = index >>> 6;
        return wi < w.length && (w[wi] & (1L << index)) != 0;
    }

    /** @return true when there are no rules: "trace all" for a filter, "exclude none" for notrace. */
    public boolean isEmpty() {
        return rules.length == 0;
    }

    /** @return the number of member functions. */
    public int count() {
        return count;
    }

    /**
     * @return the function indexes, ascending, that are members of exactly one of {@code a} and
     *         {@code b}: where a change from one to the other changes {@link #contains}
     */
    public static int[] differences(FilterHash a, FilterHash b) {
        long[] x = a.words;
        long[] y = b.words;
        int n = Math.max(x.length, y.length);
        long[] d = new long[n];
        for (int i = 0; i < n; i++) {
            d[i] = (i < x.length ? x[i] : 0L) ^ (i < y.length ? y[i] : 0L);
        }
        int[] out = new int[bitCount(d)];
        int k = 0;
        for (int i = nextSetBit(d, 0); i >= 0; i = nextSetBit(d, i + 1)) {
            out[k++] = i;
        }
        return out;
    }

    /** @return the member function indexes in ascending order. */
    public int[] members() {
        long[] w = words;
        int[] out = new int[bitCount(w)];
        int n = 0;
        for (int i = nextSetBit(w, 0); i >= 0; i = nextSetBit(w, i + 1)) {
            out[n++] = i;
        }
        return out;
    }

    /** @return the rules in effect, in order (no COMMAND rules, no leading {@code !} rules); unmodifiable. */
    public List<FilterRule> rules() {
        return ruleList;
    }

    /**
     * What reading {@code set_ftrace_filter} / {@code set_ftrace_notrace} prints. For an empty hash the
     * kernel's {@code #### all functions enabled ####} line (the caller prints its own text for an
     * empty notrace hash, where the kernel prints nothing); otherwise each member's name on its own line
     * in index order.
     *
     * <p>JVM-specific addition: after the names, one line {@code #### pending: <rule> ####} for each
     * positive glob or {@code mod:} rule that matches no function of {@code table} yet, so users see
     * rules waiting for classes to load (much as the kernel lists {@code :mod:} entries whose module
     * is not loaded yet). Lines starting with {@code #} are comments to {@link FilterParser}.
     */
    public String show(FunctionTable table) {
        if (rules.length == 0) {
            return "#### all functions enabled ####\n";
        }
        StringBuilder sb = new StringBuilder();
        int size = table.size();
        for (int i : members()) {
            if (i <= size) {
                sb.append(table.name(i)).append('\n');
            }
        }
        for (FilterRule r : rules) {
            if (!r.negated() && r.kind() != FilterRule.Kind.INDEX && !matchesAny(r, table)) {
                sb.append("#### pending: ").append(r.text()).append(" ####\n");
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "FilterHash" + ruleList + " (" + count + " functions)";
    }

    // ---- helpers

    /** Drops negated rules before the first positive rule: on an empty hash they remove nothing. */
    private static FilterRule[] normalise(List<FilterRule> rules) {
        int first = 0;
        while (first < rules.size() && rules.get(first).negated()) {
            first++;
        }
        return rules.subList(first, rules.size()).toArray(NO_RULES);
    }

    /** @return +1 when the last matching rule is positive, -1 when it is negated, 0 when none match. */
    private static int decide(FilterRule[] rules, int index, FunctionTable table, Latin1Name scratch) {
        for (int r = rules.length - 1; r >= 0; r--) {
            if (rules[r].matches(index, table, scratch)) {
                return rules[r].negated() ? -1 : 1;
            }
        }
        return 0;
    }

    private static boolean anyMatches(FilterRule[] rules, int index, FunctionTable table, Latin1Name scratch) {
        for (FilterRule r : rules) {
            if (r.matches(index, table, scratch)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allNegated(FilterRule[] rules) {
        for (FilterRule r : rules) {
            if (!r.negated()) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesAny(FilterRule rule, FunctionTable table) {
        Latin1Name scratch = new Latin1Name();
        for (int i = 1, n = table.size(); i <= n; i++) {
            if (rule.matches(i, table, scratch)) {
                return true;
            }
        }
        return false;
    }

    private static int wordsFor(int maxIndex) {
        return (maxIndex >>> 6) + 1;
    }

    private static int bitCount(long[] w) {
        int n = 0;
        for (long x : w) {
            n += Long.bitCount(x);
        }
        return n;
    }

    /** @return the first set bit at or after {@code from}, or -1. */
    private static int nextSetBit(long[] w, int from) {
        int wi = from >>> 6;
        if (wi >= w.length) {
            return -1;
        }
        long x = w[wi] & (-1L << from);
        while (true) {
            if (x != 0) {
                return (wi << 6) + Long.numberOfTrailingZeros(x);
            }
            if (++wi == w.length) {
                return -1;
            }
            x = w[wi];
        }
    }
}
