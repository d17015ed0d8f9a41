package itest;

/**
 * Calls with arguments and return values of every kind, deterministic for golden outputs. Its
 * source is compiled at test time with and without -g and -parameters, so the names of the
 * arguments come from the LocalVariableTable, the MethodParameters attribute, or neither.
 */
public final class ArgsGoldenApp {

    /** Its toString and hashCode throw: the tracer prints it without calling them. */
    static final class Item {
        final int weight;

        Item(int weight) {
            this.weight = weight;
        }

        int weigh(int times) {
            return weight * times;
        }

        @Override
        public String toString() {
            throw new IllegalStateException("toString called");
        }

        @Override
        public int hashCode() {
            throw new IllegalStateException("hashCode called");
        }
    }

    public static void main(String[] args) {
        Item item = new Item(7);
        int[] counts = {1, 2};
        System.out.println("hash item " + Integer.toHexString(System.identityHashCode(item)));
        System.out.println("hash counts " + Integer.toHexString(System.identityHashCode(counts)));
        System.out.println(integers((byte) -1, (short) 300, -42, 1L << 40));
        System.out.println(negate(5));
        System.out.println(reals(0.1f, 1e-5));
        System.out.println(chars('x', '\'', '\n', true, false));
        System.out.println(strings("", "say \"hi\"\\", null, "abcdefghijklmnopqrstuvwxyz0123456789"));
        System.out.println(objects(item, counts, null) == item);
        System.out.println(six(1, 2, 3, 4, 5, 6));
        System.out.println(seven(1, 2, 3, 4, 5, 6, 7));
        System.out.println(total(item, 3));
        noop(9);
        try {
            outer(2);
        } catch (IllegalArgumentException e) {
            System.out.println("caught " + e.getMessage());
        }
    }

    static long integers(byte b, short s, int i, long l) {
        return b + s + i + l;
    }

    static int negate(int n) {
        return -n;
    }

    static float reals(float f, double d) {
        return f * 2;
    }

    static char chars(char c, char quote, char newline, boolean yes, boolean no) {
        return yes && !no ? c : quote;
    }

    static String strings(String empty, String quoted, String nothing, String longer) {
        return empty + quoted + nothing + longer;
    }

    static Item objects(Item item, int[] counts, Object nothing) {
        return item;
    }

    static int six(int a, int b, int c, int d, int e, int f) {
        return a + b + c + d + e + f;
    }

    static int seven(int a, int b, int c, int d, int e, int f, int g) {
        return a + b + c + d + e + f + g;
    }

    static int total(Item item, int times) {
        return item.weigh(times) + 1;
    }

    static void noop(int x) {
    }

    static int outer(int depth) {
        return inner(depth) + 1;
    }

    static int inner(int depth) {
        throw new IllegalArgumentException("depth " + depth);
    }
}
