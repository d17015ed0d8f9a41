package org.jftrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.BasicVerifier;

/**
 * Every class of every corpus jar (target/corpus, as the running JDK sees a multi-release jar) goes
 * through the agent's real transformer ({@link SiteTransformer#transform}, as the JVM calls it, with
 * the agent's own site check off), and every method of what it returns is checked twice:
 * <ul>
 *   <li>by ASM's {@link Analyzer} with {@link BasicVerifier} (data flow: stack and local types, stack
 *       depth, instruction operands);</li>
 *   <li>by the agent's {@link SiteCheck}, for class files of version 51 and later: the method
 *       type-checks against its own stack map frames, as HotSpot verifies it (the Analyzer ignores
 *       the frames).</li>
 * </ul>
 * A method whose original already fails a check is not held against the transformer: it is counted
 * apart (none in this corpus so far). Per-jar figures go to target/reliability/transformed-corpus.md.
 */
class TransformedCorpusTest {

    static final Path CORPUS = Path.of(System.getProperty("reliability.corpus", "target/corpus")).toAbsolutePath();
    static final Path OUT = Path.of(System.getProperty("reliability.out", "target/reliability")).toAbsolutePath();

    static final class Row {
        final String jar;
        int classes;
        int transformed;
        int unchanged;
        long methods;
        long originalFailsAnalyzer;
        long failsAnalyzer;
        long frameChecked;
        long originalFailsFrames;
        long failsFrames;

        Row(String jar) {
            this.jar = jar;
        }

        void add(Row r) {
            classes += r.classes;
            transformed += r.transformed;
            unchanged += r.unchanged;
            methods += r.methods;
            originalFailsAnalyzer += r.originalFailsAnalyzer;
            failsAnalyzer += r.failsAnalyzer;
            frameChecked += r.frameChecked;
            originalFailsFrames += r.originalFailsFrames;
            failsFrames += r.failsFrames;
        }
    }

    static final Map<String, Row> rows = new TreeMap<>();
    static final List<String> analyzerFailures = java.util.Collections.synchronizedList(new ArrayList<>());
    static final List<String> frameFailures = java.util.Collections.synchronizedList(new ArrayList<>());
    static final Map<String, String> unchanged = java.util.Collections.synchronizedMap(new TreeMap<>());
    static long millis;

    @BeforeAll
    static void transformAndCheckTheWholeCorpus() throws Exception {
        long t0 = System.nanoTime();
        List<Path> jars;
        try (var s = Files.list(CORPUS)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = jars.get(i).toUri().toURL();
        }
        // check=0: the sites as planted, without the agent's own check, which would keep a doubtful
        // method's original code and so hide a fault of the sites from this test.
        SiteTransformer transformer = new SiteTransformer(null, new ClassSelector(List.of(), List.of()), false);
        try (URLClassLoader loader = new URLClassLoader("corpus", urls, TransformedCorpusTest.class.getClassLoader())) {
            // Two threads (the jars in parallel): the transformer is called so by the JVM too.
            jars.parallelStream().forEach(jar -> {
                Row row = new Row(jar.getFileName().toString());
                synchronized (rows) {
                    rows.put(row.jar, row);
                }
                try (JarFile jf = new JarFile(jar.toFile(), true, ZipFile.OPEN_READ, Runtime.version())) {
                    List<JarEntry> entries = jf.versionedStream()
                            .filter(e -> e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")
                                    && !e.getName().endsWith("module-info.class") && !e.getName().endsWith("package-info.class"))
                            .toList();
                    for (JarEntry e : entries) {
                        byte[] original;
                        try (InputStream in = jf.getInputStream(e)) {
                            original = in.readAllBytes();
                        }
                        checkClass(row, transformer, loader, e.getName().substring(0, e.getName().length() - 6), original);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        millis = (System.nanoTime() - t0) / 1_000_000;
        Files.createDirectories(OUT);
        Files.writeString(OUT.resolve("transformed-corpus.md"), table(), StandardCharsets.UTF_8);
    }

    private static void checkClass(Row row, SiteTransformer transformer, ClassLoader loader, String name, byte[] originalBytes) {
        row.classes++;
        byte[] out = transformer.transform(null, loader, name, null, null, originalBytes);
        String dotted = name.replace('/', '.');
        if (out == null) {
            row.unchanged++;
            unchanged.put(row.jar + ": " + dotted, transformer.skipped().getOrDefault(dotted, "not selected"));
            return;
        }
        row.transformed++;
        ClassNode[] before = new ClassNode[1]; // read only for a method that fails
        ClassNode after;
        try {
            after = read(out);
        } catch (RuntimeException e) {
            analyzerFailures.add(row.jar + ": " + dotted + ": ASM cannot read the transformed class: " + e);
            row.failsAnalyzer++;
            return;
        }
        java.util.function.Function<MethodNode, MethodNode> original = m -> {
            if (before[0] == null) {
                before[0] = read(originalBytes);
            }
            return before[0].methods.stream().filter(o -> o.name.equals(m.name) && o.desc.equals(m.desc)).findFirst().orElse(null);
        };
        boolean frames = (after.version & 0xFFFF) >= Opcodes.V1_7;
        for (MethodNode m : after.methods) {
            if ((m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                continue;
            }
            row.methods++;
            String why = analyze(after.name, m);
            if (why != null) {
                MethodNode o = original.apply(m);
                if (o != null && analyze(after.name, o) != null) {
                    row.originalFailsAnalyzer++;
                } else {
                    row.failsAnalyzer++;
                    analyzerFailures.add(row.jar + ": " + dotted + "." + m.name + m.desc + ": " + why);
                }
            }
            if (frames) {
                row.frameChecked++;
                String fwhy = SiteCheck.check(after.name, m, false);
                if (fwhy != null) {
                    MethodNode o = original.apply(m);
                    if (o != null && SiteCheck.check(after.name, o, false) != null) {
                        row.originalFailsFrames++;
                    } else {
                        row.failsFrames++;
                        frameFailures.add(row.jar + ": " + dotted + "." + m.name + m.desc + ": " + fwhy);
                    }
                }
            }
        }
    }

    private static ClassNode read(byte[] b) {
        ClassNode cn = new ClassNode();
        new ClassReader(b).accept(cn, ClassReader.EXPAND_FRAMES);
        return cn;
    }

    private static String analyze(String owner, MethodNode m) {
        try {
            new Analyzer<BasicValue>(new BasicVerifier()).analyze(owner, m);
            return null;
        } catch (AnalyzerException | RuntimeException e) {
            return String.valueOf(e.getMessage());
        }
    }

    static String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "JDK %s; %.1f s to transform and check every class in process%n%n",
                System.getProperty("java.version"), millis / 1000.0));
        sb.append("| jar | classes | transformed | left unchanged | methods | fail the Analyzer: original (excluded) / transformed | frame-checked (version ≥ 51) | fail the frame check: original (excluded) / transformed |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        Row total = new Row("**all " + rows.size() + " jars**");
        for (Row r : rows.values()) {
            row(sb, r);
            total.add(r);
        }
        row(sb, total);
        sb.append("\nTransformed methods that fail a check (first 40 of each):\n\n");
        analyzerFailures.stream().limit(40).forEach(f -> sb.append("- Analyzer: ").append(f).append('\n'));
        frameFailures.stream().limit(40).forEach(f -> sb.append("- frames: ").append(f).append('\n'));
        if (analyzerFailures.isEmpty() && frameFailures.isEmpty()) {
            sb.append("none\n");
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, Row r) {
        sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d / %d | %d | %d / %d |%n", r.jar, r.classes,
                r.transformed, r.unchanged, r.methods, r.originalFailsAnalyzer, r.failsAnalyzer, r.frameChecked,
                r.originalFailsFrames, r.failsFrames));
    }

    @Test
    void theWholeCorpusWentThroughTheTransformer() {
        Row total = new Row("all");
        rows.values().forEach(total::add);
        assertThat(rows).hasSizeGreaterThanOrEqualTo(120);
        assertThat(total.transformed).as("classes the transformer changed").isGreaterThan(50_000);
        assertThat(total.frameChecked).as("methods checked against their frames").isGreaterThan(300_000);
    }

    @Test
    void everyTransformedMethodPassesAsmsAnalyzerWithBasicVerifier() {
        assertThat(analyzerFailures).as("transformed methods that fail ASM's Analyzer while their original passes").isEmpty();
    }

    @Test
    void everyTransformedMethodTypeChecksAgainstItsStackMapFrames() {
        assertThat(frameFailures).as("transformed methods that fail the frame check while their original passes").isEmpty();
    }
}
