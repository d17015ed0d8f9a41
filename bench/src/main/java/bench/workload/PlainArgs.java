package bench.workload;

/**
 * The untraced copy of {@link TracedArgs}.
 */
public final class PlainArgs {

    private PlainArgs() {
    }

    public static String call(int n, String s, Object o) {
        return n > 0 ? s : null;
    }

    public static String callNoInline(int n, String s, Object o) {
        return n > 0 ? s : null;
    }

    /** Eight arguments of every kind func-args prints: six shown, then "...". */
    public static String wide(int n, long l, double d, boolean b, char c, float f, String s, Object o) {
        return n > 0 ? s : null;
    }
}
