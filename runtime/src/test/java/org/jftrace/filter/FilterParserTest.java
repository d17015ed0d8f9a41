package org.jftrace.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FilterParserTest {

    private final FakeFunctionTable table = new FakeFunctionTable();

    FilterParserTest() {
        table.add("com.acme.Foo.bar()V", "acme-core-1.0");
        table.add("com.acme.Foo.baz()V", "acme-core-1.0");
        table.add("com.google.common.base.Joiner.on(C)Lcom/google/common/base/Joiner;", "com.google.common");
        table.add("app.Main.main([Ljava/lang/String;)V", "");
    }

    private static List<String> texts(List<FilterRule> rules) {
        return rules.stream().map(FilterRule::text).collect(Collectors.toList());
    }

    @Test
    void emptyAndBlankTextParseToNoRules() {
        assertThat(FilterParser.parse("", table)).isEmpty();
        assertThat(FilterParser.parse(" \t\n\r\n ", table)).isEmpty();
        assertThat(FilterParser.parse(null, table)).isEmpty();
        assertThat(FilterParser.parse("# only a comment\n", table)).isEmpty();
    }

    @Test
    void mixedWhitespaceSeparatesTokens() {
        List<FilterRule> rules = FilterParser.parse("  a*\tb*\n c* \r\n\t d*  ", table);
        assertThat(texts(rules)).containsExactly("a*", "b*", "c*", "d*");
    }

    @Test
    void hashStartsCommentToEndOfLine() {
        List<FilterRule> rules = FilterParser.parse("# header\na* # trailing x*\nb*#glued\nc*", table);
        assertThat(texts(rules)).containsExactly("a*", "b*", "c*");
    }

    @Test
    void rulesKeepWrittenOrderAndKinds() {
        List<FilterRule> rules = FilterParser.parse("com.acme.* !com.acme.Foo.baz 3 :mod:acme-* foo:traceon:2", table);
        assertThat(rules).extracting(FilterRule::kind).containsExactly(
                FilterRule.Kind.GLOB, FilterRule.Kind.GLOB, FilterRule.Kind.INDEX, FilterRule.Kind.MODULE,
                FilterRule.Kind.COMMAND);
        assertThat(rules.get(1).negated()).isTrue();
        assertThat(rules.get(4).count()).isEqualTo(2);
    }

    @Test
    void resultIsUnmodifiable() {
        List<FilterRule> rules = FilterParser.parse("a*", table);
        assertThatThrownBy(() -> rules.add(FilterRule.parse("b*"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void globMatchingNothingYetIsAccepted() {
        assertThat(texts(FilterParser.parse("org.notloaded.*", table))).containsExactly("org.notloaded.*");
    }

    @Test
    void indexInRangeIsAccepted() {
        assertThat(FilterParser.parse("1 4 !2", table)).extracting(FilterRule::index).containsExactly(1, 4, 2);
    }

    @Test
    void indexOutOfRangeIsRejectedNamingIt() {
        assertThatThrownBy(() -> FilterParser.parse("a* 12345", table))
                .isInstanceOf(FilterException.class)
                .hasMessage("index 12345 out of range (1..4)")
                .extracting(e -> ((FilterException) e).token()).isEqualTo("12345");
        assertThatThrownBy(() -> FilterParser.parse("5", table))
                .isInstanceOf(FilterException.class)
                .hasMessage("index 5 out of range (1..4)");
        assertThatThrownBy(() -> FilterParser.parse("!0", table))
                .isInstanceOf(FilterException.class)
                .hasMessage("index 0 out of range (1..4)");
        assertThatThrownBy(() -> FilterParser.parse("99999999999999999999", table))
                .isInstanceOf(FilterException.class)
                .hasMessage("index 99999999999999999999 out of range (1..4)");
    }

    @Test
    void indexOnEmptyTableSaysNothingIsLoaded() {
        assertThatThrownBy(() -> FilterParser.parse("1", new FakeFunctionTable()))
                .isInstanceOf(FilterException.class)
                .hasMessage("index 1 out of range (no functions are loaded yet)");
    }

    @Test
    void modWithGlobModuleNameIsAccepted() {
        assertThat(FilterParser.parse("*:mod:acme-* :mod:com.google.* bar:mod:acme-core-1.[0-9]", table)).hasSize(3);
    }

    @Test
    void modNamingNoLoadedModuleIsRejected() {
        assertThatThrownBy(() -> FilterParser.parse("a* :mod:guavax", table))
                .isInstanceOf(FilterException.class)
                .hasMessage("unknown module 'guavax'")
                .extracting(e -> ((FilterException) e).token()).isEqualTo("guavax");
    }

    @Test
    void negatedModNamingNoLoadedModuleIsRejected() {
        assertThatThrownBy(() -> FilterParser.parse("*:mod:!guavax", table))
                .isInstanceOf(FilterException.class)
                .hasMessage("unknown module 'guavax'");
    }

    @Test
    void emptyModuleNameOfUnknownModuleFunctionsDoesNotCountAsLoadedModule() {
        FakeFunctionTable onlyUnknown = new FakeFunctionTable();
        onlyUnknown.add("app.Main.main()V", "");
        assertThatThrownBy(() -> FilterParser.parse(":mod:*", onlyUnknown))
                .isInstanceOf(FilterException.class)
                .hasMessage("unknown module '*'");
    }

    @Test
    void allowUnknownModulesAcceptsModulesNotLoadedYet() {
        List<FilterRule> rules = FilterParser.parse(":mod:guavax", new FakeFunctionTable(), true);
        assertThat(texts(rules)).containsExactly(":mod:guavax");
        assertThatThrownBy(() -> FilterParser.parse(":mod:guavax", new FakeFunctionTable(), false))
                .isInstanceOf(FilterException.class);
    }

    @Test
    void allowUnknownModulesStillChecksIndexes() {
        assertThatThrownBy(() -> FilterParser.parse("1", new FakeFunctionTable(), true))
                .isInstanceOf(FilterException.class)
                .hasMessageStartingWith("index 1 out of range");
    }

    @Test
    void commandsParseWithCounts() {
        List<FilterRule> rules = FilterParser.parse("foo*:traceon:5\nbar:traceoff\n!baz:snapshot:1", table);
        assertThat(rules).extracting(FilterRule::command).containsExactly("traceon", "traceoff", "snapshot");
        assertThat(rules).extracting(FilterRule::count).containsExactly(5, -1, 1);
        assertThat(rules).extracting(FilterRule::negated).containsExactly(false, false, true);
    }

    @Test
    void unknownCommandFailsTheWholeWrite() {
        assertThatThrownBy(() -> FilterParser.parse("a* foo:traceonn b*", table))
                .isInstanceOf(FilterException.class)
                .hasMessageStartingWith("unknown command 'traceonn' in 'foo:traceonn'");
    }

    @Test
    void badCountFailsTheWholeWrite() {
        assertThatThrownBy(() -> FilterParser.parse("a*\nfoo:traceon:lots", table))
                .isInstanceOf(FilterException.class)
                .hasMessageStartingWith("bad count 'lots' in 'foo:traceon:lots'");
    }

    @Test
    void badGlobFailsTheWholeWrite() {
        assertThatThrownBy(() -> FilterParser.parse("a* foo[ab", table))
                .isInstanceOf(FilterException.class)
                .hasMessageStartingWith("bad glob 'foo[ab': unterminated '['");
    }

    @Test
    void exceptionCanBePrefixedWithFileName() {
        FilterException e = org.junit.jupiter.api.Assertions.assertThrows(FilterException.class,
                () -> FilterParser.parse("foo:traceonn", table));
        FilterException in = e.in("set_ftrace_filter");
        assertThat(in.getMessage()).startsWith("set_ftrace_filter: unknown command 'traceonn' in 'foo:traceonn'");
        assertThat(in.token()).isEqualTo("traceonn");
    }
}
