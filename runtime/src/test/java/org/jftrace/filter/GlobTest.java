package org.jftrace.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class GlobTest {

    private static boolean m(String pattern, String s) {
        return Glob.compile(pattern).matches(s);
    }

    @Test
    void literalMatchesOnlyItself() {
        assertThat(m("foo", "foo")).isTrue();
        assertThat(m("foo", "fo")).isFalse();
        assertThat(m("foo", "fooo")).isFalse();
        assertThat(m("foo", "Foo")).isFalse();
        assertThat(Glob.compile("foo").isLiteral()).isTrue();
    }

    @Test
    void emptyPatternMatchesOnlyEmptyString() {
        assertThat(m("", "")).isTrue();
        assertThat(m("", "a")).isFalse();
    }

    @Test
    void starAtEndMatchesPrefix() {
        assertThat(m("foo*", "foo")).isTrue();
        assertThat(m("foo*", "foobar")).isTrue();
        assertThat(m("foo*", "xfoo")).isFalse();
    }

    @Test
    void starAtStartMatchesSuffix() {
        assertThat(m("*bar", "bar")).isTrue();
        assertThat(m("*bar", "foobar")).isTrue();
        assertThat(m("*bar", "barx")).isFalse();
    }

    @Test
    void starsOnBothSidesMatchSubstring() {
        assertThat(m("*oba*", "foobar")).isTrue();
        assertThat(m("*oba*", "oba")).isTrue();
        assertThat(m("*oba*", "obx")).isFalse();
    }

    @Test
    void starMatchesInTheMiddle() {
        assertThat(m("a*b", "ab")).isTrue();
        assertThat(m("a*b", "axxxb")).isTrue();
        assertThat(m("a*b", "axxxbx")).isFalse();
        assertThat(m("a*b*c", "a_b_b_c")).isTrue();
        assertThat(m("a*b*c", "a_c_b")).isFalse();
    }

    @Test
    void starNeedsBacktrackingToLaterOccurrence() {
        assertThat(m("*ab", "aab")).isTrue();
        assertThat(m("a*bc", "abbbc")).isTrue();
        assertThat(m("*a?c", "abcabc")).isTrue();
        assertThat(m("*a?c", "abcab")).isFalse();
        assertThat(m("*a?c", "abcabxc")).isFalse();
        assertThat(m("*a?c", "xxabc")).isTrue();
    }

    @Test
    void loneStarMatchesEverythingIncludingEmpty() {
        assertThat(m("*", "")).isTrue();
        assertThat(m("*", "anything")).isTrue();
        assertThat(m("**", "")).isTrue();
        assertThat(Glob.compile("*").isLiteral()).isFalse();
    }

    @Test
    void questionMarkMatchesExactlyOneChar() {
        assertThat(m("f?o", "foo")).isTrue();
        assertThat(m("f?o", "fo")).isFalse();
        assertThat(m("f?o", "fooo")).isFalse();
        assertThat(m("??", "ab")).isTrue();
        assertThat(Glob.compile("f?o").isLiteral()).isFalse();
    }

    @Test
    void classMatchesListedChars() {
        assertThat(m("[abc]x", "bx")).isTrue();
        assertThat(m("[abc]x", "dx")).isFalse();
        assertThat(Glob.compile("[a]").isLiteral()).isFalse();
    }

    @Test
    void classRangeMatchesInclusive() {
        assertThat(m("v[0-9]", "v0")).isTrue();
        assertThat(m("v[0-9]", "v9")).isTrue();
        assertThat(m("v[0-9]", "va")).isFalse();
        assertThat(m("[a-cx-z]", "y")).isTrue();
        assertThat(m("[a-cx-z]", "m")).isFalse();
    }

    @Test
    void bangNegatesClass() {
        assertThat(m("[!a-z]", "A")).isTrue();
        assertThat(m("[!a-z]", "q")).isFalse();
    }

    @Test
    void caretNegatesClass() {
        assertThat(m("[^a-z]", "A")).isTrue();
        assertThat(m("[^a-z]", "q")).isFalse();
    }

    @Test
    void dashFirstOrLastInClassIsLiteral() {
        assertThat(m("[-a]", "-")).isTrue();
        assertThat(m("[a-]", "-")).isTrue();
        assertThat(m("[a-]", "b")).isFalse();
    }

    @Test
    void bangOrCaretLaterInClassIsLiteral() {
        assertThat(m("[a!]", "!")).isTrue();
        assertThat(m("[a^]", "^")).isTrue();
        assertThat(m("[a^]", "b")).isFalse();
    }

    @Test
    void negatedClassStillConsumesOneChar() {
        assertThat(m("[!a]", "")).isFalse();
        assertThat(m("[!a]", "bb")).isFalse();
    }

    @Test
    void backslashEscapesMetacharacters() {
        assertThat(m("a\\*b", "a*b")).isTrue();
        assertThat(m("a\\*b", "axb")).isFalse();
        assertThat(m("a\\?", "a?")).isTrue();
        assertThat(m("a\\?", "ab")).isFalse();
        assertThat(m("\\[x\\]", "[x]")).isTrue();
        assertThat(m("\\\\", "\\")).isTrue();
        assertThat(Glob.compile("a\\*b").isLiteral()).isTrue();
    }

    @Test
    void backslashEscapesInsideClass() {
        assertThat(m("[\\]a]", "]")).isTrue();
        assertThat(m("[\\]a]", "a")).isTrue();
        assertThat(m("[\\]a]", "\\")).isFalse();
        assertThat(m("[\\!a]", "!")).isTrue();
        assertThat(m("[\\!a]", "b")).isFalse();
    }

    @Test
    void unterminatedClassIsRejectedNamingThePattern() {
        assertThatThrownBy(() -> Glob.compile("foo[ab"))
                .isInstanceOf(FilterException.class)
                .hasMessageStartingWith("bad glob 'foo[ab': unterminated '['")
                .extracting(e -> ((FilterException) e).token()).isEqualTo("foo[ab");
    }

    @Test
    void arrayDescriptorNeedsEscapedBracket() {
        assertThatThrownBy(() -> Glob.compile("a.B.main([Ljava/lang/String;)V"))
                .isInstanceOf(FilterException.class)
                .hasMessageContaining("unterminated '['");
        assertThat(m("a.B.main(\\[Ljava/lang/String;)V", "a.B.main([Ljava/lang/String;)V")).isTrue();
    }

    @Test
    void emptyClassIsRejected() {
        assertThatThrownBy(() -> Glob.compile("a[]b"))
                .isInstanceOf(FilterException.class)
                .hasMessageStartingWith("bad glob 'a[]b': empty '[]'");
        assertThatThrownBy(() -> Glob.compile("a[!]b"))
                .isInstanceOf(FilterException.class)
                .hasMessageContaining("empty '[]'");
    }

    @Test
    void trailingBackslashIsRejected() {
        assertThatThrownBy(() -> Glob.compile("foo\\"))
                .isInstanceOf(FilterException.class)
                .hasMessage("bad glob 'foo\\': trailing '\\'");
        assertThatThrownBy(() -> Glob.compile("[a\\"))
                .isInstanceOf(FilterException.class)
                .hasMessageContaining("trailing '\\'");
    }

    @Test
    void reversedRangeIsRejected() {
        assertThatThrownBy(() -> Glob.compile("[z-a]"))
                .isInstanceOf(FilterException.class)
                .hasMessage("bad glob '[z-a]': reversed range 'z-a'");
    }

    @Test
    @Timeout(30) // a hang guard against exponential matching, not a speed goal
    void pathologicalStarsRunInPolynomialTime() {
        String as = "a".repeat(100_000);
        Glob g = Glob.compile("*a*a*a*a*a*a*a*a*b");
        assertThat(g.matches(as)).isFalse();
        assertThat(g.matches(as + "b")).isTrue();
    }

    @Test
    @Timeout(30) // a hang guard against exponential matching, not a speed goal
    void pathologicalQuestionMarksRunInPolynomialTime() {
        String as = "a".repeat(20_000);
        Glob g = Glob.compile("*?*?*?*?*?*?*b");
        assertThat(g.matches(as)).isFalse();
    }

    @Test
    void patternAccessorReturnsTextAsWritten() {
        assertThat(Glob.compile("a\\*[b-c]*").pattern()).isEqualTo("a\\*[b-c]*");
    }

    @Test
    void functionPatternWithoutParenMatchesEveryOverload() {
        Glob g = Glob.compile("com.acme.Foo.bar");
        assertThat(g.matchesFunction("com.acme.Foo.bar()V")).isTrue();
        assertThat(g.matchesFunction("com.acme.Foo.bar(ILjava/lang/String;)V")).isTrue();
        assertThat(g.matchesFunction("com.acme.Foo.barx()V")).isFalse();
        assertThat(Glob.matchesFunction(g, "com.acme.Foo.bar(J)J")).isTrue();
    }

    @Test
    void functionPatternWithoutParenIgnoresDescriptorText() {
        // "String" only occurs in the descriptor, which is cut off.
        assertThat(Glob.compile("*String*").matchesFunction("a.B.c(Ljava/lang/String;)V")).isFalse();
        assertThat(Glob.compile("*V").matchesFunction("a.B.c()V")).isFalse();
    }

    @Test
    void functionPatternWithParenMatchesFullName() {
        Glob g = Glob.compile("com.acme.Foo.bar(I*");
        assertThat(g.matchesFunction("com.acme.Foo.bar(ILjava/lang/String;)V")).isTrue();
        assertThat(g.matchesFunction("com.acme.Foo.bar()V")).isFalse();
        assertThat(Glob.compile("*(*String*").matchesFunction("a.B.c(Ljava/lang/String;)V")).isTrue();
    }

    @Test
    void packageStarMatchesSubpackages() {
        Glob g = Glob.compile("com.acme.*");
        assertThat(g.matchesFunction("com.acme.Foo.bar()V")).isTrue();
        assertThat(g.matchesFunction("com.acme.sub.deep.Baz.qux(I)I")).isTrue();
        assertThat(g.matchesFunction("com.acmex.Foo.bar()V")).isFalse();
    }

    @Test
    void functionNameWithoutDescriptorMatchesWhole() {
        assertThat(Glob.compile("a.B.c").matchesFunction("a.B.c")).isTrue();
    }
}
