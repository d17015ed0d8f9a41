package org.jftrace.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FilterHashTest {

    private final FakeFunctionTable table = new FakeFunctionTable();
    private final int foo = table.add("com.acme.Foo.foo()V", "acme");
    private final int foobar = table.add("com.acme.Foo.foobar()V", "acme");
    private final int foobarInt = table.add("com.acme.Foo.foobar(I)V", "acme");
    private final int fooqux = table.add("com.acme.Foo.fooqux()V", "acme");
    private final int join = table.add("com.google.common.base.Joiner.join()Ljava/lang/String;", "guava");
    private final int main = table.add("app.Main.main([Ljava/lang/String;)V", "");

    private FilterHash write(FilterHash h, String text, boolean reset) {
        return h.with(FilterParser.parse(text, table), reset, table);
    }

    private FilterHash set(String text) {
        return write(FilterHash.empty(), text, true);
    }

    private static List<String> texts(FilterHash h) {
        return h.rules().stream().map(FilterRule::text).collect(Collectors.toList());
    }

    @Test
    void emptyHashHasNoRulesAndNoMembers() {
        FilterHash h = FilterHash.empty();
        assertThat(h.isEmpty()).isTrue();
        assertThat(h.count()).isZero();
        assertThat(h.members()).isEmpty();
        assertThat(h.rules()).isEmpty();
        assertThat(h.contains(foo)).isFalse();
    }

    @Test
    void globSelectsMatchingFunctions() {
        FilterHash h = set("com.acme.Foo.foo*");
        assertThat(h.isEmpty()).isFalse();
        assertThat(h.members()).containsExactly(foo, foobar, foobarInt, fooqux);
        assertThat(h.count()).isEqualTo(4);
        assertThat(h.contains(join)).isFalse();
    }

    @Test
    void differencesAreTheFunctionsInExactlyOneOfTwoHashes() {
        FilterHash a = set("com.acme.Foo.foo*");
        FilterHash b = set("com.acme.Foo.foobar com.google.*");
        assertThat(FilterHash.differences(a, b)).containsExactly(foo, fooqux, join);
        assertThat(FilterHash.differences(b, a)).containsExactly(foo, fooqux, join);
        assertThat(FilterHash.differences(a, a)).isEmpty();
        assertThat(FilterHash.differences(FilterHash.empty(), b)).containsExactly(foobar, foobarInt, join);
    }

    @Test
    void descriptorlessGlobSelectsEveryOverload() {
        FilterHash h = set("com.acme.Foo.foobar");
        assertThat(h.members()).containsExactly(foobar, foobarInt);
    }

    @Test
    void bangRemovesFromEarlierPositiveRule() {
        FilterHash h = set("com.acme.Foo.foo* !com.acme.Foo.foobar");
        assertThat(h.members()).containsExactly(foo, fooqux);
    }

    @Test
    void laterPositiveRuleReAddsWhatBangRemoved() {
        FilterHash h = set("com.acme.* !*foobar *.foobar(I)V");
        assertThat(h.members()).containsExactly(foo, foobarInt, fooqux);
    }

    @Test
    void bangFirstOnEmptyHashRemovesNothingAndLeavesItEmpty() {
        FilterHash h = set("!com.acme.Foo.foobar");
        assertThat(h.isEmpty()).isTrue();
        assertThat(h.rules()).isEmpty();
        assertThat(h.show(table)).isEqualTo("#### all functions enabled ####\n");
    }

    @Test
    void bangBeforeFirstPositiveIsDroppedWithoutAffectingLaterRules() {
        FilterHash h = set("!com.acme.Foo.foobar com.acme.Foo.foo*");
        assertThat(texts(h)).containsExactly("com.acme.Foo.foo*");
        assertThat(h.members()).containsExactly(foo, foobar, foobarInt, fooqux);
    }

    @Test
    void appendAddsToExistingRules() {
        FilterHash h = write(set("com.acme.Foo.foo"), "*Joiner.join", false);
        assertThat(texts(h)).containsExactly("com.acme.Foo.foo", "*Joiner.join");
        assertThat(h.members()).containsExactly(foo, join);
    }

    @Test
    void resetReplacesExistingRules() {
        FilterHash h = write(set("com.acme.Foo.foo"), "*Joiner.join", true);
        assertThat(texts(h)).containsExactly("*Joiner.join");
        assertThat(h.members()).containsExactly(join);
    }

    @Test
    void appendedBangRemovesFromExistingHash() {
        FilterHash h = write(set("com.acme.*"), "!*foobar !*qux", false);
        assertThat(h.members()).containsExactly(foo);
        assertThat(h.count()).isEqualTo(1);
    }

    @Test
    void appendedMixedRulesApplyInOrder() {
        FilterHash h = write(set("com.acme.Foo.foo"), "com.acme.Foo.foob* !*foobar(I)V", false);
        assertThat(h.members()).containsExactly(foo, foobar);
        FilterHash h2 = write(set("com.acme.*"), "!com.acme.Foo.foob* *foobar(I)V", false);
        assertThat(h2.members()).containsExactly(foo, foobarInt, fooqux);
    }

    @Test
    void appendedBangOnEmptyHashRemovesNothing() {
        FilterHash h = write(FilterHash.empty(), "!com.acme.*", false);
        assertThat(h.isEmpty()).isTrue();
    }

    @Test
    void removingEveryMemberKeepsTheRulesAndExcludesLaterFunctions() {
        FilterHash h = write(set("com.acme.Foo.foobar"), "!com.acme.Foo.foobar", false);
        assertThat(h.isEmpty()).isFalse();
        assertThat(h.count()).isZero();
        int later = table.add("com.acme.Foo.foobar(J)V", "acme");
        h.onNewFunction(later, table);
        assertThat(h.contains(later)).isFalse();
    }

    @Test
    void resetWithNoRulesGivesEmpty() {
        FilterHash h = write(set("com.acme.*"), "", true);
        assertThat(h.isEmpty()).isTrue();
        assertThat(h.count()).isZero();
        assertThat(h.contains(foo)).isFalse();
    }

    @Test
    void appendWithNoRulesKeepsMembers() {
        FilterHash h = write(set("com.acme.Foo.foo"), "  # nothing\n", false);
        assertThat(h.members()).containsExactly(foo);
    }

    @Test
    void commandRulesAreNotMembers() {
        FilterHash h = set("com.acme.Foo.foo com.acme.*:traceon:3");
        assertThat(texts(h)).containsExactly("com.acme.Foo.foo");
        assertThat(h.members()).containsExactly(foo);
        assertThat(set("com.acme.*:traceoff").isEmpty()).as("a reset with only commands clears the filter").isTrue();
    }

    @Test
    void indexRulesSelectAndRemoveByIndex() {
        FilterHash h = set(foo + " " + join);
        assertThat(h.members()).containsExactly(foo, join);
        FilterHash h2 = write(set("com.acme.*"), "!" + foobar, false);
        assertThat(h2.members()).containsExactly(foo, foobarInt, fooqux);
    }

    @Test
    void modRuleSelectsModuleFunctions() {
        assertThat(set(":mod:gua*").members()).containsExactly(join);
        assertThat(set("*foobar:mod:acme").members()).containsExactly(foobar, foobarInt);
        assertThat(set("*:mod:!acme").members()).containsExactly(join, main);
        assertThat(set("com.*").with(FilterParser.parse("!*:mod:acme", table), false, table).members())
                .containsExactly(join);
    }

    @Test
    void withLeavesTheOldHashUnchanged() {
        FilterHash before = set("com.acme.Foo.foo*");
        FilterHash appended = write(before, "!*foobar", false);
        FilterHash reset = write(before, "*Joiner*", true);
        assertThat(appended.members()).containsExactly(foo, fooqux);
        assertThat(reset.members()).containsExactly(join);
        assertThat(before.members()).containsExactly(foo, foobar, foobarInt, fooqux);
        assertThat(before.contains(foobar)).isTrue();
        assertThat(texts(before)).containsExactly("com.acme.Foo.foo*");
    }

    @Test
    void failedParseLeavesThePreviousHashUnchanged() {
        FilterHash h = set("com.acme.Foo.foo*");
        FilterHash[] current = {h};
        assertThatThrownBy(() -> current[0] = write(current[0], "!*foobar foo:traceonn", false))
                .isInstanceOf(FilterException.class);
        assertThatThrownBy(() -> current[0] = write(current[0], "!*foobar 999", true))
                .isInstanceOf(FilterException.class);
        assertThat(current[0]).isSameAs(h);
        assertThat(h.members()).containsExactly(foo, foobar, foobarInt, fooqux);
        assertThat(texts(h)).containsExactly("com.acme.Foo.foo*");
    }

    @Test
    void onNewFunctionAddsLaterMatchingFunctionForGlob() {
        FilterHash h = set("org.late.*");
        assertThat(h.count()).isZero();
        int late = table.add("org.late.Late.run()V", "late");
        int other = table.add("org.other.Other.run()V", "late");
        h.onNewFunction(late, table);
        h.onNewFunction(other, table);
        assertThat(h.contains(late)).isTrue();
        assertThat(h.contains(other)).isFalse();
        assertThat(h.count()).isEqualTo(1);
        assertThat(h.members()).containsExactly(late);
    }

    @Test
    void onNewFunctionAppliesBangToLaterFunctions() {
        FilterHash h = set("com.acme.Foo.foo* !com.acme.Foo.foobar");
        int laterOverload = table.add("com.acme.Foo.foobar(J)V", "acme");
        int laterOther = table.add("com.acme.Foo.foozle()V", "acme");
        h.onNewFunction(laterOverload, table);
        h.onNewFunction(laterOther, table);
        assertThat(h.contains(laterOverload)).isFalse();
        assertThat(h.contains(laterOther)).isTrue();
    }

    @Test
    void onNewFunctionMatchesModRuleForModuleLoadedLater() {
        FilterHash h = FilterHash.empty().with(
                FilterParser.parse("*:mod:netty-*", table, true), true, table);
        assertThat(h.isEmpty()).isFalse();
        assertThat(h.count()).isZero();
        int n = table.add("io.netty.Channel.read()V", "netty-transport-4.1");
        int g = table.add("com.google.X.y()V", "guava");
        h.onNewFunction(n, table);
        h.onNewFunction(g, table);
        assertThat(h.members()).containsExactly(n);
    }

    @Test
    void onNewFunctionGrowsTheBitmapFarBeyondTheInitialSize() {
        FilterHash h = set("org.late.*");
        for (int i = 0; i < 1000; i++) {
            table.add("org.filler.F.f" + i + "()V");
        }
        int late = table.add("org.late.Late.run()V", "late");
        for (int i = table.size() - 1000; i <= table.size(); i++) {
            h.onNewFunction(i, table);
        }
        assertThat(h.members()).containsExactly(late);
        assertThat(h.contains(late + 64)).isFalse();
    }

    @Test
    void onNewFunctionOnEmptyHashAddsNothing() {
        FilterHash h = FilterHash.empty();
        int late = table.add("org.late.Late.run()V");
        h.onNewFunction(late, table);
        assertThat(h.contains(late)).isFalse();
        assertThat(FilterHash.empty().count()).isZero();
    }

    @Test
    void appendCoversFunctionsTheOldHashNeverSaw() {
        FilterHash h = set("org.late.*");
        int unseen = table.add("org.late.Late.run()V", "late");
        // no onNewFunction for 'unseen' on h: the append must still decide it by all rules
        FilterHash h2 = write(h, "!*Nope", false);
        assertThat(h2.contains(unseen)).isTrue();
        FilterHash h3 = write(h, "com.acme.Foo.foo", false);
        assertThat(h3.members()).containsExactly(foo, unseen);
    }

    @Test
    void containsIsFalseOutsideTheTable() {
        FilterHash h = set("*");
        assertThat(h.contains(0)).isFalse();
        assertThat(h.contains(-1)).isFalse();
        assertThat(h.contains(Integer.MIN_VALUE)).isFalse();
        assertThat(h.contains(table.size() + 1)).isFalse();
        assertThat(h.contains(1_000_000)).isFalse();
        assertThat(h.count()).isEqualTo(table.size());
    }

    @Test
    void rulesListIsUnmodifiable() {
        FilterHash h = set("a*");
        assertThatThrownBy(() -> h.rules().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void showOfEmptyHashSaysAllFunctionsEnabled() {
        assertThat(FilterHash.empty().show(table)).isEqualTo("#### all functions enabled ####\n");
    }

    @Test
    void showListsMembersInIndexOrderThenPendingRules() {
        FilterHash h = set("*Joiner.join com.acme.Foo.foo org.late.* !org.late.X* :mod:guava 1");
        assertThat(h.show(table)).isEqualTo(
                "com.acme.Foo.foo()V\n"
                        + "com.google.common.base.Joiner.join()Ljava/lang/String;\n"
                        + "#### pending: org.late.* ####\n");
    }

    @Test
    void pendingLineGoesAwayOnceAClassLoads() {
        FilterHash h = FilterHash.empty().with(
                FilterParser.parse("org.late.* :mod:netty", table, true), true, table);
        assertThat(h.show(table)).isEqualTo("#### pending: org.late.* ####\n#### pending: :mod:netty ####\n");
        int late = table.add("org.late.Late.run()V", "netty");
        h.onNewFunction(late, table);
        assertThat(h.show(table)).isEqualTo("org.late.Late.run()V\n");
    }

    @Test
    void showOfHashWhoseMembersWereAllRemovedIsBlank() {
        FilterHash h = set("com.acme.Foo.foobar !com.acme.Foo.foobar");
        assertThat(h.show(table)).isEmpty();
    }

    @Test
    void hundredThousandFunctionsMatchADirectEvaluationOfTheRules() {
        FakeFunctionTable big = new FakeFunctionTable();
        for (int i = 0; i < 100_000; i++) {
            big.add("com.example.p" + (i % 100) + ".C" + (i / 100) + ".m" + (i % 7) + "(ILjava/lang/String;)V",
                    "mod-" + (i % 10));
        }
        List<FilterRule> reset = FilterParser.parse("com.example.p1*.* !*.m3 *C99*:mod:mod-[0-4] 77", big);
        List<FilterRule> append = FilterParser.parse("!com.example.p12.* com.example.p5?.C1*", big);
        // Speed is the benchmarks' business (docs/benchmarks.md); this checks the result at scale.
        FilterHash h = FilterHash.empty().with(reset, true, big).with(append, false, big);
        // spot-check the result against a direct evaluation
        int expected = 0;
        for (int i = 1; i <= big.size(); i++) {
            boolean in = false; // rules in order: the last match decides
            for (FilterRule r : reset) {
                if (r.matches(i, big)) {
                    in = !r.negated();
                }
            }
            for (FilterRule r : append) {
                if (r.matches(i, big)) {
                    in = !r.negated();
                }
            }
            assertThat(h.contains(i)).as("function %d", i).isEqualTo(in);
            expected += in ? 1 : 0;
        }
        assertThat(h.count()).isEqualTo(expected).isPositive();
    }

    @Test
    void containsAndGlobMatchingDoNotAllocate() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        FilterHash h = set("com.acme.Foo.foo* !*foobar");
        Glob g = Glob.compile("com.*.Foo.[a-f]oo*b?r");
        String name = table.name(foobarInt);
        int hits = 0;
        for (int i = 0; i < 200_000; i++) { // warm up so the JIT has compiled both
            hits += (h.contains(i & 7) ? 1 : 0) + (g.matchesFunction(name) ? 1 : 0);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++) {
            hits += (h.contains(i & 7) ? 1 : 0) + (g.matchesFunction(name) ? 1 : 0);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(hits).isPositive();
        assertThat(allocated).as("bytes allocated by 1M contains + matchesFunction calls").isLessThan(10_000);
    }
}
