package bench.workload;

/**
 * Reached only through a method handle or reflection, as frameworks call their users' code
 * ({@code ReflectiveCalls}). Traced: the forks' {@code include=bench.workload.Traced*}. Its own class,
 * so that its compilation history is not shared with the other benchmarks' workloads.
 */
public final class TracedCallee {

    private TracedCallee() {
    }

    public static int mix(int x, int y) {
        return x * 31 + y;
    }
}
