package bench.workload.peers;

/**
 * Workload 2 of the peer comparison: MooBench's shape, a method that calls itself until the
 * depth reaches 1. {@code chain(10, x)} is 10 traced calls, nested 10 deep, per benchmark operation.
 */
public final class PeerChain {

    private PeerChain() {
    }

    /** @return {@code x + depth - 1}, computed one level per call so that nothing folds the recursion away. */
    public static int chain(int depth, int x) {
        if (depth <= 1) {
            return x;
        }
        return chain(depth - 1, x) + 1;
    }
}
