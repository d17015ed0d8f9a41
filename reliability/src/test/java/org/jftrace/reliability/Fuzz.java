package org.jftrace.reliability;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators shared by the fuzz tests: random text, text built from the grammar's own pieces, and
 * mutations of valid text (characters inserted, deleted, duplicated or replaced).
 */
public final class Fuzz {

    private Fuzz() {
    }

    /** Characters that mean something to some parser here, plus odd ones. */
    static final String SPECIAL = "*?[]!:#,;=\\^$-./()<>{}|'\" \t\n\r\u0000\u00e9\u2028\uffff0123456789aZ_L";

    /** Any characters, short. */
    public static Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withChars(SPECIAL).ofMaxLength(30),
                Arbitraries.strings().withCharRange('\u0000', '\u007f').ofMaxLength(30));
    }

    /** Valid-looking filter tokens of every kind of the grammar (and some near misses). */
    public static Arbitrary<String> filterToken() {
        Arbitrary<String> word = Arbitraries.of("com", "acme", "Foo", "bar", "*", "?", "[a-c]", "[!x]", "x*y", "fuzz", "Shapes",
                "<init>", "(I)V", "(Ljava/lang/String;)I", "lambda$0", "Outer$Inner", "[", "]", "[]", "\\*", "**");
        Arbitrary<String> glob = word.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.integers().between(-3, 60).map(String::valueOf),
                Arbitraries.of("0", "00", "1", "99999999999999999999", "2147483648", "-0", "+1", "1e3", "0x10"));
        Arbitrary<String> module = Arbitraries.of("fuzz-a", "fuzz-b", "fuzz*", "nope", "", "*", "[", "fuzz-?");
        Arbitrary<String> command = Arbitraries.of("traceon", "traceoff", "traceon:3", "traceoff:0", "stacktrace", "snapshot:1",
                "dump", "cpudump", "enable_event:x", "traceonn", "traceon:x", "traceon:-1", "mod", "");
        return Arbitraries.oneOf(
                glob,
                number,
                glob.map(g -> "!" + g),
                number.map(n -> "!" + n),
                Combinators.combine(glob, module).as((g, m) -> g + ":mod:" + m),
                module.map(m -> ":mod:" + m),
                module.map(m -> "!:mod:" + m),
                Combinators.combine(glob, command).as((g, c) -> g + ":" + c));
    }

    /** A whole write: tokens separated by white space, maybe a comment. */
    public static Arbitrary<String> filterText() {
        Arbitrary<String> sep = Arbitraries.of(" ", "  ", "\t", "\n", " # comment\n", "\r\n");
        return Combinators.combine(filterToken().list().ofMaxSize(5), sep).as((l, s) -> String.join(s, l));
    }

    /** {@code base} with a few random edits. */
    public static Arbitrary<String> mutated(Arbitrary<String> base) {
        Arbitrary<List<int[]>> edits = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, SPECIAL.length() - 1))
                .as((op, pos, ch) -> new int[] {op, pos, ch}).list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(base, edits).as((s, l) -> {
            StringBuilder sb = new StringBuilder(s);
            for (int[] e : l) {
                int pos = sb.length() == 0 ? 0 : e[1] % (sb.length() + 1);
                char c = SPECIAL.charAt(e[2]);
                switch (e[0]) {
                    case 0 -> sb.insert(pos, c);
                    case 1 -> {
                        if (pos < sb.length()) {
                            sb.deleteCharAt(pos);
                        }
                    }
                    case 2 -> {
                        if (pos < sb.length()) {
                            sb.insert(pos, sb.charAt(pos));
                        }
                    }
                    default -> {
                        if (pos < sb.length()) {
                            sb.setCharAt(pos, c);
                        }
                    }
                }
            }
            return sb.toString();
        });
    }

    /** Random, grammar-built, and mutated grammar-built filter text. */
    public static Arbitrary<String> filterInput() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, anyText()),
                net.jqwik.api.Tuple.of(4, filterText()),
                net.jqwik.api.Tuple.of(4, mutated(filterText())));
    }

    /** Whether none of the inputs holds a line break (which jftrace's messages echo: see the @Disabled tests). */
    public static boolean noBreaks(String... inputs) {
        for (String s : inputs) {
            if (s != null && (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** The documented error's message: one line, not empty. */
    public static boolean oneLine(String message) {
        return message != null && !message.isBlank() && message.indexOf('\n') < 0 && message.indexOf('\r') < 0;
    }
}
