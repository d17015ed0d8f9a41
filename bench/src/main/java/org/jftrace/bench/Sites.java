package org.jftrace.bench;

import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceRecords;

/**
 * Setup checks shared by the benchmarks: a benchmark that silently measured uninstrumented code (no
 * agent, wrong include glob) would report "free". These fail the fork instead.
 */
final class Sites {

    /** The agent option every benchmark fork needs (see docs/benchmarks.md). */
    static final String AGENT_HINT = "run the forks with -jvmArgsPrepend "
            + "'-javaagent:dist/target/jftrace.jar=include=bench.workload.Traced*,include=bench.workload.gen.*'";

    private Sites() {
    }

    /** @return whether a function whose name starts with {@code prefix} has sites (a record). */
    static boolean hasFunction(String prefix) {
        FtraceRecords recs;
        try {
            recs = Ftrace.records();
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("the jftrace runtime is not on the boot class path: " + AGENT_HINT, e);
        }
        for (int ip = 1; ip <= recs.size(); ip++) {
            if (recs.name(ip).startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Fails unless {@code traced} got sites and {@code plain} did not. Both classes must be initialised. */
    static void requireTracedPair(Class<?> traced, Class<?> plain) {
        if (!hasFunction(traced.getName() + '.')) {
            throw new IllegalStateException(traced.getName() + " has no sites: " + AGENT_HINT);
        }
        if (hasFunction(plain.getName() + '.')) {
            throw new IllegalStateException(plain.getName() + " has sites, but it is the untraced baseline");
        }
    }

    /** The lines of enabled_functions for functions starting with {@code prefix}. */
    static String enabled(String prefix) {
        StringBuilder sb = new StringBuilder();
        for (String line : Ftrace.enabledFunctions().split("\n")) {
            if (line.startsWith(prefix)) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }
}
