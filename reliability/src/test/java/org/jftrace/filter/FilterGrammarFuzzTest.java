package org.jftrace.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;
import org.jftrace.reliability.Fuzz;

/**
 * Random and mutated text for the filter grammar. The only exception is
 * {@link FilterException} with a one-line message; parsed rules always build a hash; and a failing
 * filter write leaves the ops' hashes in force exactly as they were.
 */
class FilterGrammarFuzzTest {

    /** 40 functions in two modules, named like the agent names them. */
    static final FunctionTable TABLE = new FunctionTable() {
        final List<String> names = new ArrayList<>();

        {
            for (int i = 0; i < 40; i++) {
                names.add("com.acme." + (i % 2 == 0 ? "Foo" : "Outer$Inner") + ".bar" + i + (i % 3 == 0 ? "(I)V" : "(Ljava/lang/String;)I"));
            }
        }

        @Override
        public int size() {
            return names.size();
        }

        @Override
        public String name(int index) {
            return names.get(index - 1);
        }

        @Override
        public String module(int index) {
            return index <= 20 ? "fuzz-a" : "fuzz-b";
        }
    };

    @Provide
    Arbitrary<String> input() {
        return Fuzz.filterInput();
    }

    @Property(tries = 3000)
    void parseThrowsOnlyFilterExceptionWithOneLineAndRulesAlwaysBuildAHash(@ForAll("input") String text) {
        for (boolean allowUnknown : new boolean[] {false, true}) {
            List<FilterRule> rules;
            try {
                rules = FilterParser.parse(text, TABLE, allowUnknown);
            } catch (FilterException e) {
                assertThat(Fuzz.oneLine(e.getMessage())).as("message %s", e.getMessage()).isTrue();
                assertThat(e.token()).isNotNull();
                continue;
            }
            List<FilterRule> functionRules = new ArrayList<>();
            for (FilterRule r : rules) {
                if (r.kind() != FilterRule.Kind.COMMAND) {
                    functionRules.add(r);
                }
            }
            // Whatever parsed builds a hash, as a reset and as an append, and shows.
            FilterHash h = FilterHash.empty().with(functionRules, true, TABLE);
            h.with(functionRules, false, TABLE).show(TABLE);
            int count = h.count();
            assertThat(count).isBetween(0, TABLE.size());
            // Deciding each function again one by one (as a class load does) agrees with the batch.
            for (int i = 1; i <= TABLE.size(); i++) {
                h.onNewFunction(i, TABLE);
            }
            assertThat(h.count()).isEqualTo(count);
        }
    }

    @Property(tries = 2000)
    void globCompileThrowsOnlyFilterException(@ForAll("input") String text) {
        try {
            Glob g = Glob.compile(text);
            g.matches("com.acme.Foo.bar1(I)V");
            g.matches("");
        } catch (FilterException e) {
            assertThat(Fuzz.oneLine(e.getMessage())).as("message %s", e.getMessage()).isTrue();
        }
    }

    static final FtraceOps OPS = new FtraceOps("fuzz-filter", 0, (ip, parent, op, regs) -> { });

    static {
        // Real functions for the core's table, so indexes and mod: have something to hit.
        for (int i = 0; i < 10; i++) {
            Ftrace.addFunction(FilterGrammarFuzzTest.class.getClassLoader(), "fuzz/Filter" + (i % 3), "m" + i, "()V",
                    false, i < 5 ? "fuzz-a" : "fuzz-b", false);
        }
    }

    @Property(tries = 1500)
    void aFailingFilterOrNotraceWriteLeavesTheHashesInForce(@ForAll("input") String text, @ForAll boolean reset,
                                                            @ForAll boolean notrace) {
        String filterBefore = OPS.filterHash().show(Ftrace.records());
        String notraceBefore = OPS.notraceHash().show(Ftrace.records());
        try {
            if (notrace) {
                Ftrace.setNotrace(OPS, text, reset);
            } else {
                Ftrace.setFilter(OPS, text, reset);
            }
        } catch (FilterException e) {
            assertThat(Fuzz.oneLine(e.getMessage())).as("message %s", e.getMessage()).isTrue();
            assertThat(OPS.filterHash().show(Ftrace.records())).isEqualTo(filterBefore);
            assertThat(OPS.notraceHash().show(Ftrace.records())).isEqualTo(notraceBefore);
        }
    }
}
