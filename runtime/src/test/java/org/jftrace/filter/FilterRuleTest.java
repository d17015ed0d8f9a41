package org.jftrace.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FilterRuleTest {

    private final FakeFunctionTable table = new FakeFunctionTable();
    private final int fooBar = table.add("com.acme.Foo.bar()V", "acme-core-1.0");
    private final int fooBarInt = table.add("com.acme.Foo.bar(I)V", "acme-core-1.0");
    private final int guavaJoin = table.add("com.google.common.base.Joiner.join(Ljava/lang/Iterable;)Ljava/lang/String;",
            "com.google.common");
    private final int appMain = table.add("app.Main.main([Ljava/lang/String;)V", "");

    @Test
    void plainTokenIsGlob() {
        FilterRule r = FilterRule.parse("com.acme.*");
        assertThat(r.kind()).isEqualTo(FilterRule.Kind.GLOB);
        assertThat(r.negated()).isFalse();
        assertThat(r.functionGlob().pattern()).isEqualTo("com.acme.*");
        assertThat(r.matches(fooBar, table)).isTrue();
        assertThat(r.matches(guavaJoin, table)).isFalse();
    }

    @Test
    void globWithoutDescriptorMatchesAllOverloads() {
        FilterRule r = FilterRule.parse("com.acme.Foo.bar");
        assertThat(r.matches(fooBar, table)).isTrue();
        assertThat(r.matches(fooBarInt, table)).isTrue();
    }

    @Test
    void globWithDescriptorMatchesOneOverload() {
        FilterRule r = FilterRule.parse("com.acme.Foo.bar(I)V");
        assertThat(r.matches(fooBar, table)).isFalse();
        assertThat(r.matches(fooBarInt, table)).isTrue();
    }

    @Test
    void leadingBangSetsNegatedAndKeepsText() {
        FilterRule r = FilterRule.parse("!com.acme.Foo.bar");
        assertThat(r.negated()).isTrue();
        assertThat(r.text()).isEqualTo("!com.acme.Foo.bar");
        assertThat(r.toString()).isEqualTo("!com.acme.Foo.bar");
        assertThat(r.functionGlob().pattern()).isEqualTo("com.acme.Foo.bar");
        assertThat(r.matches(fooBar, table)).as("matches ignores negation").isTrue();
    }

    @Test
    void bareBangIsRejected() {
        assertThatThrownBy(() -> FilterRule.parse("!"))
                .isInstanceOf(FilterException.class)
                .hasMessageContaining("missing function after '!'");
    }

    @Test
    void digitsAreIndex() {
        FilterRule r = FilterRule.parse("2");
        assertThat(r.kind()).isEqualTo(FilterRule.Kind.INDEX);
        assertThat(r.index()).isEqualTo(2);
        assertThat(r.matches(fooBarInt, table)).isTrue();
        assertThat(r.matches(fooBar, table)).isFalse();
        assertThat(FilterRule.parse("!3").index()).isEqualTo(3);
        assertThat(FilterRule.parse("!3").negated()).isTrue();
    }

    @Test
    void hugeIndexBecomesNeverValidZero() {
        assertThat(FilterRule.parse("99999999999999999999").index()).isZero();
    }

    @Test
    void modWithFunctionGlobSelectsWithinModule() {
        FilterRule r = FilterRule.parse("*bar:mod:acme-core-*");
        assertThat(r.kind()).isEqualTo(FilterRule.Kind.MODULE);
        assertThat(r.moduleGlob().pattern()).isEqualTo("acme-core-*");
        assertThat(r.moduleNegated()).isFalse();
        assertThat(r.matches(fooBar, table)).isTrue();
        assertThat(r.matches(guavaJoin, table)).isFalse();
        assertThat(FilterRule.parse("*join:mod:acme-core-*").matches(guavaJoin, table)).isFalse();
    }

    @Test
    void modWithEmptyOrStarFunctionSelectsWholeModule() {
        for (String t : new String[] {":mod:com.google.*", "*:mod:com.google.*"}) {
            FilterRule r = FilterRule.parse(t);
            assertThat(r.functionGlob()).as(t).isNull();
            assertThat(r.matches(guavaJoin, table)).as(t).isTrue();
            assertThat(r.matches(fooBar, table)).as(t).isFalse();
        }
    }

    @Test
    void unknownModuleFunctionsNeverMatchPositiveModuleGlob() {
        assertThat(FilterRule.parse(":mod:*").matches(appMain, table)).isFalse();
        assertThat(FilterRule.parse(":mod:*").matches(fooBar, table)).isTrue();
    }

    @Test
    void negatedModuleGlobSelectsFunctionsOutsideIt() {
        FilterRule r = FilterRule.parse("*:mod:!acme-*");
        assertThat(r.moduleNegated()).isTrue();
        assertThat(r.negated()).isFalse();
        assertThat(r.matches(fooBar, table)).isFalse();
        assertThat(r.matches(guavaJoin, table)).isTrue();
        assertThat(r.matches(appMain, table)).isTrue();
        assertThat(FilterRule.parse(":mod:!*").matches(appMain, table)).as("mod:!* = no module").isTrue();
        assertThat(FilterRule.parse(":mod:!*").matches(guavaJoin, table)).isFalse();
    }

    @Test
    void modWithoutNameIsRejected() {
        assertThatThrownBy(() -> FilterRule.parse("foo:mod:"))
                .isInstanceOf(FilterException.class)
                .hasMessage("missing module name after ':mod:' in 'foo:mod:'");
        assertThatThrownBy(() -> FilterRule.parse("foo:mod"))
                .isInstanceOf(FilterException.class)
                .hasMessageContaining("missing module name");
    }

    @Test
    void modNameWithColonIsRejected() {
        assertThatThrownBy(() -> FilterRule.parse("foo:mod:a:b"))
                .isInstanceOf(FilterException.class)
                .hasMessageContaining("'a:b'");
    }

    @Test
    void commandWithCountParses() {
        FilterRule r = FilterRule.parse("foo*:traceon:5");
        assertThat(r.kind()).isEqualTo(FilterRule.Kind.COMMAND);
        assertThat(r.command()).isEqualTo("traceon");
        assertThat(r.param()).isEqualTo("5");
        assertThat(r.count()).isEqualTo(5);
        assertThat(r.functionGlob().pattern()).isEqualTo("foo*");
    }

    @Test
    void commandWithoutCountHasMinusOne() {
        FilterRule r = FilterRule.parse("com.acme.Foo.bar:stacktrace");
        assertThat(r.command()).isEqualTo("stacktrace");
        assertThat(r.param()).isNull();
        assertThat(r.count()).isEqualTo(-1);
        assertThat(r.matches(fooBarInt, table)).as("command rules match by their function glob").isTrue();
    }

    @Test
    void everyCountedCommandAcceptsCount() {
        for (String c : new String[] {"traceon", "traceoff", "stacktrace", "snapshot", "dump", "cpudump"}) {
            FilterRule r = FilterRule.parse("f:" + c + ":0");
            assertThat(r.command()).isEqualTo(c);
            assertThat(r.count()).isZero();
        }
    }

    @Test
    void negatedCommandRemovesProbe() {
        FilterRule r = FilterRule.parse("!foo:traceoff");
        assertThat(r.kind()).isEqualTo(FilterRule.Kind.COMMAND);
        assertThat(r.negated()).isTrue();
        assertThat(r.command()).isEqualTo("traceoff");
    }

    @Test
    void unknownCommandIsRejectedNamingIt() {
        assertThatThrownBy(() -> FilterRule.parse("foo:traceonn"))
                .isInstanceOf(FilterException.class)
                .hasMessageStartingWith("unknown command 'traceonn' in 'foo:traceonn'")
                .extracting(e -> ((FilterException) e).token()).isEqualTo("traceonn");
    }

    @Test
    void badCountIsRejectedNamingIt() {
        for (String bad : new String[] {"x", "-1", "5:6", "", "99999999999"}) {
            assertThatThrownBy(() -> FilterRule.parse("foo:traceoff:" + bad))
                    .as(bad)
                    .isInstanceOf(FilterException.class)
                    .hasMessageStartingWith("bad count '" + bad + "' in 'foo:traceoff:" + bad + "'")
                    .extracting(e -> ((FilterException) e).token()).isEqualTo(bad);
        }
    }

    @Test
    void eventCommandNeedsSystemAndEvent() {
        FilterRule r = FilterRule.parse("foo:enable_event:sched:sched_switch:3");
        assertThat(r.command()).isEqualTo("enable_event");
        assertThat(r.param()).isEqualTo("sched:sched_switch:3");
        assertThat(r.count()).isEqualTo(3);
        assertThat(FilterRule.parse("foo:disable_event:sched:sched_switch").count()).isEqualTo(-1);
        assertThatThrownBy(() -> FilterRule.parse("foo:enable_event"))
                .isInstanceOf(FilterException.class)
                .hasMessageContaining("enable_event needs SYSTEM:EVENT");
        assertThatThrownBy(() -> FilterRule.parse("foo:disable_event:sched"))
                .isInstanceOf(FilterException.class)
                .hasMessageContaining("disable_event needs SYSTEM:EVENT");
        assertThatThrownBy(() -> FilterRule.parse("foo:enable_event:sched:switch:x"))
                .isInstanceOf(FilterException.class)
                .hasMessageStartingWith("bad count 'x'");
    }

    @Test
    void commandWithoutFunctionIsRejected() {
        assertThatThrownBy(() -> FilterRule.parse(":traceon"))
                .isInstanceOf(FilterException.class)
                .hasMessageContaining("missing function");
    }

    @Test
    void emptyCommandIsRejected() {
        assertThatThrownBy(() -> FilterRule.parse("foo:"))
                .isInstanceOf(FilterException.class)
                .hasMessageContaining("missing command");
    }

    @Test
    void badGlobInsideCommandIsRejected() {
        assertThatThrownBy(() -> FilterRule.parse("foo[:traceon"))
                .isInstanceOf(FilterException.class)
                .hasMessageStartingWith("bad glob 'foo['");
    }

    @Test
    void rulesWithSameTextAreEqual() {
        assertThat(FilterRule.parse("a*")).isEqualTo(FilterRule.parse("a*"))
                .hasSameHashCodeAs(FilterRule.parse("a*"));
        assertThat(FilterRule.parse("a*")).isNotEqualTo(FilterRule.parse("!a*"));
    }
}
