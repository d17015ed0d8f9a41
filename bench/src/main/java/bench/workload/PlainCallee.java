package bench.workload;

/** The untraced copy of {@link TracedCallee}: the baseline of {@code ReflectiveCalls}. */
public final class PlainCallee {

    private PlainCallee() {
    }

    public static int mix(int x, int y) {
        return x * 31 + y;
    }
}
