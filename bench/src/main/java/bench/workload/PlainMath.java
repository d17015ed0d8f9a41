package bench.workload;

/**
 * The untraced copy of {@link TracedMath}: the same code, but outside the agent's
 * {@code include=bench.workload.Traced*}, so it gets no sites. The baseline of every traced/plain pair.
 *
 * <p>{@code *NoInline} methods are kept out of inlining by the forks'
 * {@code -XX:CompileCommand=dontinline,bench.workload.*::*NoInline}: each call is a real call.
 */
public final class PlainMath {

    private PlainMath() {
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
