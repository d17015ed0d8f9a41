package org.jftrace.bench.peers;

import bench.workload.peers.PeerJson;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * jftrace side by side with the JVM's other tracers, in one command. For every configuration
 * (a tool with its own JVM flags) and every workload of {@link PeerWorkloads}, one JMH fork with the gc
 * profiler; then one table: ns/op, its error, the ratio to the no-agent baseline of the same workload,
 * the extra ns per traced call (mix: 1 call/op, chain: 10 calls/op) and gc.alloc.rate.norm (B/op).
 *
 * <p>Every configuration traces the same classes: {@code bench.workload.peers.*} (the workloads) and
 * {@code com.fasterxml.jackson.*} (the library), each with that tool's own selection syntax, printed in
 * the configuration list. A configuration that cannot run here (JFR method timing before JDK 25) is
 * skipped with the reason; one whose fork fails is reported as failed with the error, not dropped.
 *
 * <p>HOW TO RUN (from the repository root, after {@code mvn -q -B package -DskipTests}):
 * <pre>
 *   java -cp bench/target/benchmarks.jar org.jftrace.bench.peers.PeerBench
 * </pre>
 * or {@code bench/peers.sh [JAVA_HOME]}. System properties: {@code peers.only} (regex over
 * configuration names), {@code peers.workloads} (regex over mix|chain|json), {@code peers.wi},
 * {@code peers.i} (iterations), {@code peers.seconds} (per iteration). Results:
 * {@code bench/target/results/peers/<java.version>/}: one JMH JSON per fork, table.txt, and the
 * tools' own output files (JFR recordings are deleted once checked: method-trace ones are large).
 */
public final class PeerBench {

    static final String[] WORKLOADS = {"mix", "chain", "json"};
    /** Traced calls per operation: by construction for mix and chain; json's is counted by the Byte Buddy fork. */
    private final Map<String, Integer> callsPerOp = new TreeMap<>(Map.of("mix", 1, "chain", 10));

    private final Path root;
    private final Path out;
    private final Path peers;
    private final String java;
    private final int feature = Runtime.version().feature();
    private final List<String> tracedClasses;

    /** One tool set-up: its name, what it records, and its fork flags (null = skipped, see {@link #skip}). */
    private static final class Config {
        final String name;
        final String records;
        final List<String> flags;
        final String skip;

        Config(String name, String records, List<String> flags, String skip) {
            this.name = name;
            this.records = records;
            this.flags = flags;
            this.skip = skip;
        }
    }

    /** One measured cell of the table. */
    private static final class Row {
        final String config;
        final String workload;
        double score = Double.NaN;
        double error = Double.NaN;
        double alloc = Double.NaN;
        String note = "";

        Row(String config, String workload) {
            this.config = config;
            this.workload = workload;
        }
    }

    private PeerBench(Path root) throws IOException {
        this.root = root;
        this.out = root.resolve("bench/target/results/peers/" + System.getProperty("java.version"));
        this.peers = root.resolve("bench/target/peers");
        this.java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        this.tracedClasses = tracedClasses();
        Files.createDirectories(out);
    }

    public static void main(String[] args) throws Exception {
        new PeerBench(Paths.get("").toAbsolutePath()).run();
    }

    private void run() throws Exception {
        List<Config> configs = configs();
        String only = System.getProperty("peers.only", ".*");
        String wls = System.getProperty("peers.workloads", ".*");
        StringBuilder header = new StringBuilder();
        header.append(String.format("PeerBench: java %s (%s), %d cpus, %s%n", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(), jmhSettings()));
        header.append(String.format("traced classes: %d (bench.workload.peers.* and com.fasterxml.jackson.* in benchmarks.jar)%n",
                tracedClasses.size()));
        for (Config c : configs) {
            header.append(String.format("  %-18s %s%n", c.name, c.skip != null ? "SKIPPED: " + c.skip : c.records));
        }
        System.out.print(header);
        List<Row> rows = new ArrayList<>();
        for (Config c : configs) {
            if (!c.name.matches(only) || c.skip != null) {
                continue;
            }
            for (String wl : WORKLOADS) {
                if (!wl.matches(wls)) {
                    continue;
                }
                rows.add(measure(c, wl));
            }
        }
        String table = table(rows);
        System.out.print("\n" + header + "\n" + table);
        // A partial rerun (peers.only / peers.workloads) must not overwrite the full table.
        String name = only.equals(".*") && wls.equals(".*") ? "table.txt"
                : "table-" + (only + "-" + wls).replaceAll("[^A-Za-z0-9]+", "_") + ".txt";
        Files.writeString(out.resolve(name), header + "\n" + table);
        System.out.println("results in " + out);
    }

    private String jmhSettings() {
        return String.format("JMH -f 1 -wi %s -i %s -w %ss -r %ss, -prof gc", System.getProperty("peers.wi", "3"),
                System.getProperty("peers.i", "5"), System.getProperty("peers.seconds", "1"),
                System.getProperty("peers.seconds", "1"));
    }

    /** Runs one fork of {@code wl} under {@code c}, then checks the tool's own output where the fork cannot. */
    private Row measure(Config c, String wl) throws IOException {
        Row row = new Row(c.name, wl);
        String tag = c.name + "-" + wl;
        List<String> flags = new ArrayList<>();
        flags.add("-Dpeers.config=" + c.name);
        flags.add("-Dpeers.out=" + out.resolve(tag));
        Files.deleteIfExists(out.resolve(tag + ".setup.txt"));
        for (String f : c.flags) {
            flags.add(f.replace("@OUT@", out.resolve(tag).toString()));
        }
        int sec = Integer.getInteger("peers.seconds", 1);
        ChainedOptionsBuilder opts = new OptionsBuilder()
                .include(PeerWorkloads.class.getName() + "\\." + wl + "$")
                .forks(1)
                .warmupIterations(Integer.getInteger("peers.wi", 3))
                .measurementIterations(Integer.getInteger("peers.i", 5))
                .warmupTime(TimeValue.seconds(sec))
                .measurementTime(TimeValue.seconds(sec))
                .mode(org.openjdk.jmh.annotations.Mode.AverageTime)
                .timeUnit(TimeUnit.NANOSECONDS)
                .jvm(java)
                .jvmArgs(flags.toArray(new String[0]))
                .addProfiler(GCProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolve(tag + ".json").toString())
                .output(out.resolve(tag + ".log").toString());
        try {
            for (RunResult r : new Runner(opts.build()).run()) {
                Result<?> p = r.getPrimaryResult();
                row.score = p.getScore();
                row.error = p.getScoreError();
                for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
                    if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                        row.alloc = e.getValue().getScore();
                    }
                }
            }
            if (Double.isNaN(row.score)) {
                row.note = "FAILED: no result, see " + out.relativize(out.resolve(tag + ".log")) + ": " + firstError(tag);
            } else {
                row.note = proof(c, wl, tag);
            }
        } catch (RunnerException | RuntimeException e) {
            row.note = "FAILED: " + e + ": " + firstError(tag);
        }
        System.out.printf("%-18s %-6s %12.2f ± %-10.2f %10.1f B/op  %s%n", c.name, wl, row.score, row.error, row.alloc, row.note);
        return row;
    }

    /** The first exception line of a fork's log, for the table's note. */
    private String firstError(String tag) {
        try {
            return Files.readAllLines(out.resolve(tag + ".log")).stream()
                    .filter(l -> l.contains("Exception") || l.contains("Error") || l.contains("error"))
                    .findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    /** What PeerBench can check from outside the fork: the tools' own output files. */
    private String proof(Config c, String wl, String tag) throws IOException {
        String method = wl.equals("mix") ? "PeerMath.mix" : wl.equals("chain") ? "PeerChain.chain" : "jackson";
        if (c.name.startsWith("jfr-")) {
            Path f = out.resolve(tag + ".jfr");
            long size = Files.size(f);
            long events = 0;
            long matching = 0;
            try (RecordingFile rf = new RecordingFile(f)) {
                while (rf.hasMoreEvents()) {
                    RecordedEvent e = rf.readEvent();
                    String type = e.getEventType().getName();
                    if (type.equals("jdk.MethodTiming") || type.equals("jdk.MethodTrace")) {
                        events++;
                        if (matching == 0 && e.toString().replace('/', '.').contains(method)) {
                            matching++;
                        }
                    }
                }
            }
            Files.delete(f);
            if (matching == 0) {
                return "NOT PROVEN: the recording (" + size + " bytes) has no method event for " + method;
            }
            return String.format("proof: %d method events in a %d MB recording", events, size >> 20);
        }
        if (c.name.startsWith("asprof-")) {
            Path f = out.resolve(tag + ".collapsed");
            if (!Files.exists(f)) {
                return "NOT PROVEN: no output file";
            }
            long calls = 0;
            for (String l : Files.readAllLines(f)) {
                if (l.replace('/', '.').contains(method)) {
                    calls += Long.parseLong(l.substring(l.lastIndexOf(' ') + 1));
                }
            }
            if (c.name.equals("asprof-trace") && calls == 0) {
                return "NOT PROVEN: no recorded call of " + method + " in " + f.getFileName();
            }
            return "proof: " + calls + " recorded calls" + (c.name.equals("asprof-latency") ? " (threshold 1 ms)" : "");
        }
        if (c.name.equals("btrace")) {
            Path dir = out.resolve(tag);
            String last = "";
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".btrace")).collect(Collectors.toList())) {
                    List<String> lines = Files.readAllLines(p).stream().filter(l -> l.contains(" calls")).collect(Collectors.toList());
                    if (!lines.isEmpty()) {
                        last = lines.get(lines.size() - 1);
                    }
                }
            }
            if (last.isEmpty() || last.startsWith("0 ")) {
                return "NOT PROVEN: the BTrace timer printed no calls";
            }
            return "proof: BTrace counted " + last.trim();
        }
        Path setup = out.resolve(tag + ".setup.txt");
        if (!Files.exists(setup)) {
            return c.name.equals("baseline") ? "" : "NOT PROVEN: the fork's setup wrote no " + setup.getFileName();
        }
        String line = Files.readString(setup).trim();
        int i = line.indexOf("one parse = ");
        if (c.name.equals("bytebuddy") && i >= 0) {
            callsPerOp.put("json", Integer.parseInt(line.substring(i + 12, line.indexOf(' ', i + 12))));
        }
        return "proof (fork setup): " + line.substring(line.indexOf(':') + 1).trim();
    }

    private String table(List<Row> rows) {
        Map<String, Row> base = new TreeMap<>();
        for (Row r : rows) {
            if (r.config.equals("baseline")) {
                base.put(r.workload, r);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String wl : WORKLOADS) {
            List<Row> wr = rows.stream().filter(r -> r.workload.equals(wl)).collect(Collectors.toList());
            if (wr.isEmpty()) {
                continue;
            }
            Row b = base.get(wl);
            Integer calls = callsPerOp.get(wl);
            sb.append(String.format("%n%s (%s)%n", wl, wl.equals("mix") ? "1 traced call/op"
                    : wl.equals("chain") ? "10 traced calls/op" : "one 2 KB Jackson parse/op, every Jackson method traced; "
                    + (calls == null ? "traced calls/op not counted (run the bytebuddy config)"
                    : calls + " traced method calls/op as counted by the Byte Buddy reference (constructors not counted)")));
            sb.append(String.format("| %-16s | %12s | %10s | %9s | %14s | %10s | %s |%n", "config", "ns/op", "± error",
                    "× base", "+ns/traced call", "B/op", "note"));
            sb.append("|------------------|-------------:|-----------:|----------:|---------------:|-----------:|------|\n");
            for (Row r : wr) {
                String ratio = b == null || Double.isNaN(r.score) ? "" : String.format(Locale.ROOT, "%.2f", r.score / b.score);
                String per = b == null || calls == null || Double.isNaN(r.score) ? ""
                        : String.format(Locale.ROOT, "%.2f", (r.score - b.score) / calls);
                sb.append(String.format(Locale.ROOT, "| %-16s | %12.2f | %10.2f | %9s | %14s | %10.1f | %s |%n",
                        r.config, r.score, r.error, ratio, per, r.alloc, r.note));
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- the configurations

    private List<Config> configs() throws IOException {
        List<Config> cs = new ArrayList<>();
        cs.add(new Config("baseline", "no agent", List.of(), null));
        String agent = "-javaagent:" + root.resolve("dist/target/jftrace.jar")
                + "=include=bench.workload.peers.*,include=com.fasterxml.jackson.*";
        cs.add(new Config("jftrace-off", "jftrace sites planted, nothing registered (the disabled state)", List.of(agent), null));
        cs.add(new Config("jftrace-function", "jftrace function tracer: per call (clock, function, parent) into the per-thread ring; "
                + "set_ftrace_filter '" + JftraceSetup.FILTER + "'", List.of(agent), null));
        cs.add(new Config("jftrace-graph", "jftrace function_graph: an entry and an exit record per call, same filter",
                List.of(agent), null));
        cs.add(new Config("jftrace-profile", "jftrace function profiler (function_profile_enabled=1): per-function count and time",
                List.of(agent), null));
        cs.add(new Config("jftrace-direct", "jftrace direct ops: an empty exact fentry handler (a static counter) on mix/chain; "
                + "the generic (boxing) handler on Jackson's methods", List.of(agent), null));

        String jfrFilter = tracedClasses.stream().collect(Collectors.joining(";"));
        String jfrSkip = feature >= 25 ? null : "JFR method timing/tracing (JEP 520) needs JDK 25; this is JDK " + feature;
        cs.add(new Config("jfr-timing", "JFR jdk.MethodTiming (count, min/avg/max time per method), filter = every traced class "
                + "by name (JFR has no wildcards)", List.of("-XX:StartFlightRecording:method-timing=" + jfrFilter
                + ",filename=@OUT@.jfr"), jfrSkip));
        cs.add(new Config("jfr-trace", "JFR jdk.MethodTrace (one event per call: duration + stack trace), same filter",
                List.of("-XX:StartFlightRecording:method-trace=" + jfrFilter + ",filename=@OUT@.jfr"), jfrSkip));

        String apPattern = "trace=bench.workload.peers.*.*,trace=com.fasterxml.jackson.*.*";
        Path lib = asyncProfilerLib();
        cs.add(new Config("asprof-trace", "async-profiler 4.6 method tracing, every call (stack trace + count), " + apPattern,
                List.of("-agentpath:" + lib + "=start," + apPattern + ",collapsed,file=@OUT@.collapsed"), null));
        cs.add(new Config("asprof-latency", "async-profiler 4.6 latency tracing, threshold 1 ms (times every call, records "
                + "none of these short ones)", List.of("-agentpath:" + lib + "=start," + apPattern.replace(".*.*", ".*.*:1ms")
                + ",collapsed,file=@OUT@.collapsed"), null));

        List<String> opens = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED",
                "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                "--add-exports=java.base/jdk.internal.reflect=ALL-UNNAMED",
                "--add-exports=java.base/jdk.internal.perf=ALL-UNNAMED",
                "--add-exports=java.base/jdk.internal.vm.annotation=ALL-UNNAMED",
                "--add-exports=jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED");
        List<String> bt = new ArrayList<>(opens);
        bt.add("-javaagent:" + peers.resolve("btrace-agent.jar") + "=script=@OUT@/PeerProbes.class,scriptOutputFile=@OUT@/PeerProbes.btrace");
        String btSkip = null;
        try {
            compileBTrace(opens);
        } catch (IOException | RuntimeException e) {
            btSkip = "the BTrace script did not compile: " + e.getMessage();
        }
        cs.add(new Config("btrace", "BTrace 2.2.6: entry probe (calls++) + RETURN probe (nanos += @Duration), classes "
                + "/bench\\.workload\\.peers\\..*|com\\.fasterxml\\.jackson\\..*/, methods /.*/", bt, btSkip));

        Path rules = bytemanRules();
        String bm = "-javaagent:" + peers.resolve("byteman.jar") + "=script:" + rules;
        cs.add(new Config("byteman", "Byteman 4.0.27: one AT ENTRY rule, IF TRUE DO NOTHING, per method name of every traced "
                + "class (" + ruleCount + " rules; not constructors), rules interpreted (default)", List.of(bm), null));
        cs.add(new Config("byteman-compiled", "the same rules with -Dorg.jboss.byteman.compile.to.bytecode=true",
                List.of("-Dorg.jboss.byteman.compile.to.bytecode=true", bm), null));

        cs.add(new Config("bytebuddy", "hand-written reference: Byte Buddy 1.18.17 inline Advice writing (nanoTime, method id, "
                + "parent id) into a ThreadLocal long[] ring at entry, restoring the parent at exit; every non-abstract "
                + "method (not constructors) of the traced classes",
                List.of("-javaagent:" + root.resolve("bench/target/benchmarks.jar")), null));
        return cs;
    }

    /** The classes every tool traces, as binary names, read from the jar PeerJson and Jackson came from. */
    private static List<String> tracedClasses() throws IOException {
        Set<String> names = new LinkedHashSet<>();
        for (JarEntry e : jarEntries()) {
            String n = e.getName();
            if ((n.startsWith("bench/workload/peers/") || n.startsWith("com/fasterxml/jackson/"))
                    && n.endsWith(".class") && !n.contains("module-info") && !n.startsWith("META-INF")) {
                names.add(n.substring(0, n.length() - 6).replace('/', '.'));
            }
        }
        return new ArrayList<>(names);
    }

    /** benchmarks.jar, which holds the workloads and the traced libraries. */
    private static Path workloadJar() throws IOException {
        try {
            return Paths.get(PeerJson.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static List<JarEntry> jarEntries() throws IOException {
        try (JarFile jf = new JarFile(workloadJar().toFile())) {
            List<JarEntry> list = new ArrayList<>();
            for (Enumeration<JarEntry> en = jf.entries(); en.hasMoreElements(); ) {
                list.add(en.nextElement());
            }
            return list;
        }
    }

    /** The linux-x64 agent library, taken out of async-profiler's Maven jar into a temporary directory. */
    private Path asyncProfilerLib() throws IOException {
        Path dir = Files.createTempDirectory("peers-asprof");
        Path lib = dir.resolve("libasyncProfiler.so");
        try (JarFile jf = new JarFile(peers.resolve("async-profiler.jar").toFile());
             InputStream in = jf.getInputStream(jf.getEntry("linux-x64/libasyncProfiler.so"))) {
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
        }
        lib.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return lib;
    }

    /** Compiles bench/src/main/btrace/PeerProbes.java with btrace-client's compiler into one directory per fork. */
    private void compileBTrace(List<String> opens) throws IOException {
        Path dir = out.resolve("btrace-classes");
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(opens);
        cmd.addAll(List.of("-cp", Stream.of("btrace-client.jar", "btrace-boot.jar", "btrace-agent.jar")
                        .map(j -> peers.resolve(j).toString()).collect(Collectors.joining(File.pathSeparator)),
                "org.openjdk.btrace.compiler.Compiler", "-d", dir.toString(),
                root.resolve("bench/src/main/btrace/PeerProbes.java").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        Path cls = dir.resolve("PeerProbes.class");
        if (!Files.exists(cls)) {
            throw new IOException(log);
        }
        // BTrace writes its output next to the script: one copy per fork keeps the outputs apart.
        for (String wl : WORKLOADS) {
            Path d = out.resolve("btrace-" + wl);
            Files.createDirectories(d);
            try (Stream<Path> old = Files.list(d)) {
                for (Path o : old.collect(Collectors.toList())) {
                    Files.delete(o);
                }
            }
            Files.copy(cls, d.resolve("PeerProbes.class"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private int ruleCount;

    /**
     * Byteman selects one class and one method name per rule (no package or method wildcards), so the
     * rules are generated: one per (class, method name) of every traced class, interfaces and abstract
     * or native methods excepted, read with ASM from benchmarks.jar.
     */
    private Path bytemanRules() throws IOException {
        Map<String, Set<String>> methods = new LinkedHashMap<>();
        try (JarFile jf = new JarFile(workloadJar().toFile())) {
            for (String cls : tracedClasses) {
                try (InputStream in = jf.getInputStream(jf.getEntry(cls.replace('.', '/') + ".class"))) {
                    new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                        boolean skip;

                        @Override
                        public void visit(int v, int access, String name, String sig, String sup, String[] ifs) {
                            skip = (access & Opcodes.ACC_INTERFACE) != 0;
                        }

                        @Override
                        public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                            if (!skip && (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0 && !name.startsWith("<")) {
                                methods.computeIfAbsent(cls, k -> new LinkedHashSet<>()).add(name);
                            }
                            return null;
                        }
                    }, ClassReader.SKIP_CODE);
                }
            }
        }
        StringBuilder sb = new StringBuilder("# generated by PeerBench: an empty AT ENTRY rule per traced method name\n");
        int n = 0;
        for (Map.Entry<String, Set<String>> e : methods.entrySet()) {
            for (String m : e.getValue()) {
                sb.append("RULE ").append(m).append(' ').append(e.getKey()).append(" #").append(++n).append('\n')
                  .append("CLASS ").append(e.getKey()).append('\n')
                  .append("METHOD ").append(m).append('\n')
                  .append("HELPER ").append("org.jftrace.bench.peers.BytemanProof").append('\n')
                  .append("AT ENTRY\nIF TRUE\nDO NOTHING\nENDRULE\n\n");
            }
        }
        ruleCount = n;
        Path f = out.resolve("peers.btm");
        Files.writeString(f, sb);
        return f;
    }
}
