package org.jftrace.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Issue 7, part 1: every class of every corpus jar (target/corpus, fetched by Maven) is loaded, linked
 * (so verified: the loader is a user-defined one) and initialized in a child JVM without jftrace, and
 * again in a child JVM with the real agent (sites in every class, function_graph tracing every
 * function). Every class must end the same way in both; the table of per-jar figures is written to
 * target/reliability/corpus.md (docs/reliability.md quotes it).
 */
class CorpusIT {

    static final String AGENT_OPTIONS = "tracer=function_graph,buffer_size_kb=64";

    record Outcome(String jar, String link, String init) {
    }

    static final class JarRow {
        final String jar;
        int classes;
        int linkedBase;
        int linkedAgent;
        int initBase;
        int initAgent;
        int instrumented;
        long concrete;
        long withSites;
        final Map<String, String> leftOut = new TreeMap<>();

        JarRow(String jar) {
            this.jar = jar;
        }

        double pct() {
            return concrete == 0 ? 100.0 : 100.0 * withSites / concrete;
        }
    }

    @Test
    void everyClassThatLoadsWithoutJftraceLoadsWithItAndNearlyEveryMethodHasSites() throws Exception {
        Files.createDirectories(Child.OUT);
        List<Path> jars;
        try (var s = Files.list(Child.CORPUS)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        assertThat(jars).hasSizeGreaterThanOrEqualTo(20);
        Path control = Child.OUT.resolve("verify-control");
        writeUnverifiableClass(control);

        List<String> args = new ArrayList<>(List.of("-Xmx1g", "-cp", Child.TEST_CLASSES.toString(),
                CorpusDriver.class.getName()));
        Path baseOut = Child.OUT.resolve("corpus-baseline.txt");
        Path agentOut = Child.OUT.resolve("corpus-agent.txt");
        Path report = Child.OUT.resolve("corpus-report.txt");
        List<String> tail = new ArrayList<>();
        jars.forEach(j -> tail.add(j.toString()));
        tail.add(control.toString());

        List<String> base = new ArrayList<>(args);
        base.add(baseOut.toString());
        base.addAll(tail);
        Child b = Child.java(null, 300, base);
        assertThat(b.exitCode).as(b.toString()).isZero();

        List<String> withAgent = new ArrayList<>(args);
        withAgent.add(agentOut.toString());
        withAgent.addAll(tail);
        Child a = Child.java("report=" + report + "," + AGENT_OPTIONS, 300, withAgent);
        assertThat(a.exitCode).as(a.toString()).isZero();
        assertThat(a.err).as("the agent complained").doesNotContain("jftrace:");

        Map<String, Outcome> baseClasses = new LinkedHashMap<>();
        readOutcomes(baseOut, baseClasses, null);
        Map<String, Outcome> agentClasses = new LinkedHashMap<>();
        Map<String, Integer> sites = new TreeMap<>();
        readOutcomes(agentOut, agentClasses, sites);
        Map<String, String> skipped = readSkipped(report);

        // The verifier is on for this loader: a class with a type error fails to link in both runs.
        assertThat(baseClasses.get("control.Unverifiable").link()).startsWith("java.lang.VerifyError");
        assertThat(agentClasses.get("control.Unverifiable").link()).startsWith("java.lang.VerifyError");

        assertThat(agentClasses.keySet()).containsExactlyElementsOf(baseClasses.keySet());
        List<String> differences = new ArrayList<>();
        Map<String, JarRow> rows = new TreeMap<>();
        for (Map.Entry<String, Outcome> e : baseClasses.entrySet()) {
            String cls = e.getKey();
            Outcome ob = e.getValue();
            Outcome oa = agentClasses.get(cls);
            // Both runs name the missing class of an optional dependency, not always the same one.
            if (!exceptionClass(ob.link()).equals(exceptionClass(oa.link()))) {
                differences.add(cls + ": link without jftrace: " + ob.link() + "; with: " + oa.link());
            } else if (!exceptionClass(ob.init()).equals(exceptionClass(oa.init()))) {
                differences.add(cls + ": init without jftrace: " + ob.init() + "; with: " + oa.init());
            }
            if (ob.jar().equals(control.getFileName().toString())) {
                continue;
            }
            JarRow row = rows.computeIfAbsent(ob.jar(), JarRow::new);
            row.classes++;
            row.linkedBase += ob.link().equals("ok") ? 1 : 0;
            row.linkedAgent += oa.link().equals("ok") ? 1 : 0;
            row.initBase += ob.init().equals("ok") ? 1 : 0;
            row.initAgent += oa.init().equals("ok") ? 1 : 0;
            if (oa.link().equals("ok")) {
                String why = skipped.get(cls);
                if (why == null || why.startsWith("methods too large")) {
                    row.instrumented++;
                }
                if (why != null) {
                    row.leftOut.put(cls, why);
                }
            }
        }
        // Concrete methods of the classes that linked, counted from the class files the JVM used.
        for (Path jar : jars) {
            JarRow row = rows.get(jar.getFileName().toString());
            if (row == null) {
                continue;
            }
            String module = jar.getFileName().toString().replaceAll("\\.jar$", "");
            try (JarFile jf = new JarFile(jar.toFile(), false, ZipFile.OPEN_READ, Runtime.version())) {
                for (Map.Entry<String, Outcome> e : agentClasses.entrySet()) {
                    if (!e.getValue().jar().equals(row.jar) || !e.getValue().link().equals("ok")) {
                        continue;
                    }
                    int n;
                    try (InputStream in = jf.getInputStream(jf.getJarEntry(e.getKey().replace('.', '/') + ".class"))) {
                        n = concreteMethods(in.readAllBytes());
                    }
                    row.concrete += n;
                    // At most n: a library may define its own classes again in a loader of its own
                    // (guava's Finalizer), which registers the same functions once more.
                    row.withSites += Math.min(n, sites.getOrDefault(module + '\t' + e.getKey(), 0));
                }
            }
        }
        String table = table(rows, b, a);
        Files.writeString(Child.OUT.resolve("corpus.md"), table, StandardCharsets.UTF_8);
        System.out.println(table);

        assertThat(differences).as("classes whose loading, linking or initialization changed with jftrace").isEmpty();
        long concrete = rows.values().stream().mapToLong(r -> r.concrete).sum();
        long withSites = rows.values().stream().mapToLong(r -> r.withSites).sum();
        assertThat(100.0 * withSites / concrete).as("%% of concrete methods with sites, all jars").isGreaterThanOrEqualTo(99.0);
        for (JarRow r : rows.values()) {
            assertThat(r.linkedAgent).as(r.jar).isEqualTo(r.linkedBase);
            assertThat(r.pct()).as("%% of concrete methods with sites in " + r.jar).isGreaterThanOrEqualTo(98.0);
        }
    }

    static String exceptionClass(String outcome) {
        int colon = outcome.indexOf(':');
        return colon < 0 ? outcome : outcome.substring(0, colon);
    }

    static String table(Map<String, JarRow> rows, Child base, Child agent) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "JDK %s; child JVMs: %.1f s without jftrace, %.1f s with (%s)%n%n",
                System.getProperty("java.version"), base.millis / 1000.0, agent.millis / 1000.0, AGENT_OPTIONS));
        sb.append("| jar | classes | linked without / with jftrace | initialized without / with | instrumented | concrete methods | with sites | % |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        JarRow total = new JarRow("**all " + rows.size() + " jars**");
        for (JarRow r : rows.values()) {
            row(sb, r);
            total.classes += r.classes;
            total.linkedBase += r.linkedBase;
            total.linkedAgent += r.linkedAgent;
            total.initBase += r.initBase;
            total.initAgent += r.initAgent;
            total.instrumented += r.instrumented;
            total.concrete += r.concrete;
            total.withSites += r.withSites;
            total.leftOut.putAll(r.leftOut);
        }
        row(sb, total);
        sb.append("\nClasses left unchanged (they load, without sites), with the agent's reason:\n\n");
        if (total.leftOut.isEmpty()) {
            sb.append("none\n");
        }
        for (JarRow r : rows.values()) {
            r.leftOut.forEach((c, why) -> sb.append("- ").append(r.jar).append(": `").append(c).append("`: ")
                    .append(why).append('\n'));
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, JarRow r) {
        sb.append(String.format(Locale.ROOT, "| %s | %d | %d / %d | %d / %d | %d | %d | %d | %.2f |%n", r.jar, r.classes,
                r.linkedBase, r.linkedAgent, r.initBase, r.initAgent, r.instrumented, r.concrete, r.withSites, r.pct()));
    }

    static void readOutcomes(Path file, Map<String, Outcome> classes, Map<String, Integer> sites) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            if (f[0].equals("CLASS")) {
                classes.put(f[2], new Outcome(f[1], f[3], f[4]));
            } else if (f[0].equals("SITES") && sites != null) {
                sites.put(f[1] + '\t' + f[2], Integer.parseInt(f[3]));
            }
        }
    }

    /** The report's "class TAB reason" lines. */
    static Map<String, String> readSkipped(Path report) throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int tab = line.indexOf('\t');
            m.put(line.substring(0, tab), line.substring(tab + 1));
        }
        return m;
    }

    static int concreteMethods(byte[] classFile) {
        int[] n = new int[1];
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exc) {
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0) {
                    n[0]++;
                }
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return n[0];
    }

    /** control/Unverifiable.class: {@code int bad() { return null; }}, which only the verifier rejects. */
    static void writeUnverifiableClass(Path dir) throws IOException {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "control/Unverifiable", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "bad", "()I", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.ACONST_NULL);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        Path f = dir.resolve("control" + File.separator + "Unverifiable.class");
        Files.createDirectories(f.getParent());
        Files.write(f, cw.toByteArray());
    }
}
