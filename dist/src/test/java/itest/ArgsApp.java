package itest;

/** Calls with arguments and return values of every kind, for func-args / funcgraph-args / funcgraph-retval. */
public final class ArgsApp {

    public static void main(String[] args) {
        ArgsItem item = new ArgsItem();
        System.out.println("item " + Integer.toHexString(System.identityHashCode(item)));
        System.out.println(order("widget", 3, 2.5, 'x', true, item));
        System.out.println(total(1, 2, 3, 4, 5, 6, 7));
        try {
            check(null);
        } catch (IllegalArgumentException e) {
            System.out.println("checked");
        }
        System.out.println(pick(item) == item);
    }

    static String order(String name, int count, double price, char grade, boolean fresh, ArgsItem item) {
        return label(name, count) + (fresh ? grade : '-');
    }

    static String label(String name, int count) {
        return name + "*" + count;
    }

    static long total(int a, int b, int c, int d, int e, int f, int g) {
        return (long) a + b + c + d + e + f + g;
    }

    static void check(String s) {
        if (s == null) {
            throw new IllegalArgumentException("null");
        }
    }

    static ArgsItem pick(ArgsItem item) {
        return item;
    }
}
