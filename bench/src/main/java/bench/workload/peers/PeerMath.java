package bench.workload.peers;

/**
 * Workload 1 of the peer comparison: a method in the nanosecond range. Every configuration
 * of {@code org.jftrace.bench.peers.PeerBench} traces exactly this method; the baseline fork runs it
 * untraced. Same body as {@code bench.workload.TracedMath.mix}.
 */
public final class PeerMath {

    private PeerMath() {
    }

    /** Small enough for C2 to inline when nothing is woven into it (7 bytes of bytecode). */
    public static int mix(int x, int y) {
        return x * 31 + y;
    }
}
