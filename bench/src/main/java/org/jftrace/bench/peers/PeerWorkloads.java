package org.jftrace.bench.peers;

import bench.workload.peers.PeerChain;
import bench.workload.peers.PeerJson;
import bench.workload.peers.PeerMath;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: on the same three workloads, what does a traced call cost with jftrace and with
 * the tools a Java user would otherwise pick (JFR method timing/trace, async-profiler, BTrace, Byteman,
 * a hand-written Byte Buddy tracer)? Each tool needs its own JVM flags, so the configuration is chosen
 * per fork by {@code -Dpeers.config=<name>} plus that tool's flags; {@link PeerBench} builds the forks
 * and prints the table (run it, not this class, see bench/peers.sh).
 *
 * <p>Workloads: {@link #mix} one nanosecond-range method; {@link #chain} 10 nested calls of one
 * recursive method (MooBench's shape); {@link #json} a 2 KB document through Jackson's streaming parser,
 * every Jackson method traced.
 *
 * <p>The setup runs each workload once and fails the fork unless the configured tool is provably in
 * the code (a jftrace trace line, a Byte Buddy ring record, a Byteman rule injection); for JFR and
 * async-profiler, PeerBench checks their output files after the fork. A tool that silently traced
 * nothing would otherwise look free.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PeerWorkloads {

    static final String MIX = "bench.workload.peers.PeerMath.mix";
    static final String CHAIN = "bench.workload.peers.PeerChain.chain";
    static final String JACKSON = "com.fasterxml.jackson.core.";

    int x = 7;
    int y = 11;
    String doc = PeerJson.DOC;

    @Setup
    public void start() throws Exception {
        String config = System.getProperty("peers.config", "baseline");
        // The parse first: its thousands of records would overwrite mix's in a small trace buffer.
        Runnable probe = () -> {
            PeerJson.parse(doc);
            PeerChain.chain(10, x);
            PeerMath.mix(x, y);
        };
        if (config.startsWith("jftrace-")) {
            JftraceSetup.start(config, probe, MIX, CHAIN, JACKSON);
            report(config + ": " + JftraceSetup.summary());
        } else if (config.equals("bytebuddy")) {
            long before = Ring.writtenByThisThread();
            PeerMath.mix(x, y);
            String last = Ring.lastRecord();
            probe.run();
            long n = Ring.writtenByThisThread() - before;
            // mix 1 + chain 10 + parse at least 1 + Jackson's own
            if (n < 13 || !last.startsWith(MIX) || RingAdviceAgent.ERRORS.get() != 0) {
                throw new IllegalStateException("bytebuddy: the probe wrote " + n + " records, last mix record: " + last
                        + ", weaving errors " + RingAdviceAgent.ERRORS.get() + "; run with -javaagent:bench/target/benchmarks.jar");
            }
            long beforeParse = Ring.writtenByThisThread();
            PeerJson.parse(doc);
            report("bytebuddy: " + RingAdviceAgent.TRANSFORMED.get() + " classes, "
                    + Ring.registered() + " methods woven; probe wrote " + n + " records; one parse = "
                    + (Ring.writtenByThisThread() - beforeParse) + " traced calls");
        } else if (config.startsWith("byteman")) {
            probe.run();
            if (BytemanProof.INSTALLED.stream().noneMatch(r -> r.startsWith("mix "))
                    || BytemanProof.INSTALLED.stream().noneMatch(r -> r.startsWith("chain "))
                    || BytemanProof.INSTALLED.stream().noneMatch(r -> r.contains("jackson"))) {
                throw new IllegalStateException("byteman: rules injected: " + BytemanProof.INSTALLED);
            }
            report("byteman: " + BytemanProof.INSTALLED.size() + " rules injected");
        } else {
            probe.run();
        }
    }

    /**
     * The setup's proof line, to {@code <peers.out>.setup.txt} for PeerBench: JMH does not pass a fork's
     * standard output on to its parent's log.
     */
    private static void report(String line) throws java.io.IOException {
        System.out.println("\n[PeerWorkloads] " + line);
        String out = System.getProperty("peers.out");
        if (out != null) {
            java.nio.file.Files.writeString(java.nio.file.Paths.get(out + ".setup.txt"), line + "\n");
        }
    }

    @Benchmark
    public int mix() {
        return PeerMath.mix(x, y);
    }

    @Benchmark
    public int chain() {
        return PeerChain.chain(10, x);
    }

    @Benchmark
    public long json() {
        return PeerJson.parse(doc);
    }
}
