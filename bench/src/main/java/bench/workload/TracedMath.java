package bench.workload;

/**
 * The traced copy: the benchmark forks' agent option {@code include=bench.workload.Traced*} gives
 * every method of this class its entry and exit sites. {@link PlainMath} is the identical untraced copy.
 *
 * <p>{@code *NoInline} methods are kept out of inlining by the forks'
 * {@code -XX:CompileCommand=dontinline,bench.workload.*::*NoInline}: each call is a real call.
 */
public final class TracedMath {

    private TracedMath() {
    }

    /** Small enough to inline (7 bytes of bytecode uninstrumented). */
    public static int mix(int x, int y) {
        return x * 31 + y;
    }

    /** The same body, never inlined. */
    public static int mixNoInline(int x, int y) {
        return x * 31 + y;
    }
}
