package org.jftrace.bench.peers;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.jftrace.ftrace.DirectCall;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;
import org.jftrace.ftrace.FtraceRecords;
import org.jftrace.trace.Tracefs;

/**
 * The jftrace configurations of PeerBench, switched on inside the fork. A separate class so
 * that the forks of the other tools, which have no jftrace runtime on the boot class path, never load
 * it.
 */
final class JftraceSetup {

    /** What every jftrace configuration traces: the same classes as the peers. */
    static final String FILTER = "bench.workload.peers.* com.fasterxml.jackson.*";

    static long handled;

    private JftraceSetup() {
    }

    /** The direct ops' exact fentry handler for {@code PeerMath.mix(int, int)}. */
    public static void mixEntry(int x, int y) {
        handled++;
    }

    /** The direct ops' exact fentry handler for {@code PeerChain.chain(int, int)}. */
    public static void chainEntry(int depth, int x) {
        handled++;
    }

    /** Switches {@code config} on and proves that one run of {@code probe} records every name of {@code names}. */
    static void start(String config, Runnable probe, String... names) throws ReflectiveOperationException {
        probe.run(); // loads (and so instruments) every class the probe reaches
        for (String n : names) {
            requireSites(n);
        }
        Tracefs fs = Tracefs.jvm();
        switch (config) {
            case "jftrace-off":
                return; // sites planted, nothing registered: the disabled state
            case "jftrace-function":
            case "jftrace-graph": {
                fs.write("buffer_size_kb", "64", false);
                fs.write("set_ftrace_filter", FILTER, false);
                fs.write("current_tracer", config.equals("jftrace-function") ? "function" : "function_graph", false);
                probe.run();
                requireAll(config, fs.read("trace"), names);
                return;
            }
            case "jftrace-profile": {
                fs.write("set_ftrace_filter", FILTER, false);
                fs.write("function_profile_enabled", "1", false);
                probe.run();
                requireAll(config, fs.read("trace_stat/function"), names);
                return;
            }
            case "jftrace-direct": {
                startDirect();
                handled = 0;
                probe.run();
                // mix, chain (10 calls) and the parse each reach their handler
                if (handled < 12) {
                    throw new IllegalStateException(config + ": the probe reached the handlers " + handled + " times");
                }
                return;
            }
            default:
                throw new IllegalArgumentException(config);
        }
    }

    /**
     * One direct ops per workload: exact (unboxed) fentry handlers for mix and chain; for Jackson's
     * methods of every signature the generic handler, which boxes the arguments into an Object[].
     */
    private static void startDirect() throws ReflectiveOperationException {
        MethodHandles.Lookup l = MethodHandles.lookup();
        FtraceOps mix = FtraceOps.direct("peers-mix", 0);
        Ftrace.setFilter(mix, "bench.workload.peers.PeerMath.mix", true);
        Ftrace.registerFtraceDirect(mix, DirectCall.entry(l.findStatic(JftraceSetup.class, "mixEntry",
                MethodType.methodType(void.class, int.class, int.class))));
        FtraceOps chain = FtraceOps.direct("peers-chain", 0);
        Ftrace.setFilter(chain, "bench.workload.peers.PeerChain.chain", true);
        Ftrace.registerFtraceDirect(chain, DirectCall.entry(l.findStatic(JftraceSetup.class, "chainEntry",
                MethodType.methodType(void.class, int.class, int.class))));
        FtraceOps json = FtraceOps.direct("peers-json", 0);
        Ftrace.setFilter(json, "com.fasterxml.jackson.* bench.workload.peers.PeerJson.*", true);
        Ftrace.registerFtraceDirect(json, DirectCall.generic((ip, args) -> handled++, null));
    }

    private static void requireAll(String config, String out, String... names) {
        for (String n : names) {
            if (!out.contains(n)) {
                throw new IllegalStateException(config + " recorded no " + n + ":\n"
                        + out.substring(0, Math.min(out.length(), 4000)));
            }
        }
    }

    /** Fails the fork unless the agent planted sites in {@code function} (wrong include glob, no agent). */
    private static void requireSites(String function) {
        FtraceRecords recs = Ftrace.records();
        for (int ip = 1; ip <= recs.size(); ip++) {
            if (recs.name(ip).startsWith(function)) {
                return;
            }
        }
        throw new IllegalStateException(function + " has no sites: the fork needs "
                + "-javaagent:dist/target/jftrace.jar=include=bench.workload.peers.*,include=com.fasterxml.jackson.*");
    }

    /** @return a one-line summary for the fork's log: how many functions have sites */
    static String summary() {
        return Ftrace.records().size() + " functions with sites";
    }
}
