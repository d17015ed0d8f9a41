package bench.workload;

/**
 * Traced methods with arguments of the kinds func-args records (an int, a String, an object; and
 * every primitive in {@link #wide}) and a String return; {@link PlainArgs} is the untraced copy.
 */
public final class TracedArgs {

    private TracedArgs() {
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
