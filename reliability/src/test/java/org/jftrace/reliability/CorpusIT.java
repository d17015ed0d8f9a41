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
 * Every class of every corpus jar (target/corpus, fetched by Maven: 140 jars from 11 producers of
 * bytecode besides plain javac) is loaded, linked (so verified: the loader is a user-defined one) and
 * initialized in a child JVM without jftrace, and again in a child JVM with the real agent (sites in
 * every class, function_graph tracing every function); then classes generated at run time by the
 * corpus' Byte Buddy are loaded and called in both. Every class must end the same way in both, and the
 * agent's site check must doubt none; the table of per-jar figures is written to
 * target/reliability/corpus.md (docs/reliability.md quotes it).
 */
class CorpusIT {

    /**
     * The site check on (as in every test), so a method whose sites would not type-check keeps its
     * original code and is reported, which the test then fails on; the control class (which fails the
     * JVM's verifier in both runs) left alone, so the check has nothing to say about it.
     */
    static final String AGENT_OPTIONS = "check=1,exclude=control.*,tracer=function_graph,buffer_size_kb=64";

    /** One class of one jar (two jars may hold the same class name: the later one is shadowed). */
    record Outcome(String jar, String cls, String link, String init) {
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
        int minVersion = Integer.MAX_VALUE;
        int maxVersion;
        final Map<String, Integer> evidence = new TreeMap<>();
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
        assertThat(jars).hasSizeGreaterThanOrEqualTo(120);
        Path control = Child.OUT.resolve("verify-control");
        writeUnverifiableClass(control);

        List<String> args = new ArrayList<>(List.of("-Xmx3g", "-cp", Child.TEST_CLASSES.toString(),
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
        Child b = Child.java(null, 600, base);
        assertThat(b.exitCode).as(b.toString()).isZero();

        List<String> withAgent = new ArrayList<>(args);
        withAgent.add(agentOut.toString());
        withAgent.addAll(tail);
        Child a = Child.java("report=" + report + "," + AGENT_OPTIONS, 900, withAgent);
        assertThat(a.exitCode).as(a.toString()).isZero();

        Map<String, Outcome> baseClasses = new LinkedHashMap<>();
        Map<String, String[]> baseGenerated = new LinkedHashMap<>();
        Map<String, Long> baseTimes = new LinkedHashMap<>();
        readOutcomes(baseOut, baseClasses, null, baseGenerated, baseTimes);
        Map<String, Outcome> agentClasses = new LinkedHashMap<>();
        Map<String, Integer> sites = new TreeMap<>();
        Map<String, String[]> agentGenerated = new LinkedHashMap<>();
        Map<String, Long> agentTimes = new LinkedHashMap<>();
        readOutcomes(agentOut, agentClasses, sites, agentGenerated, agentTimes);
        Map<String, String> skipped = readSkipped(report);

        // The verifier is on for this loader: a class with a type error fails to link in both runs.
        String controlKey = control.getFileName() + "\tcontrol.Unverifiable";
        assertThat(baseClasses.get(controlKey).link()).startsWith("java.lang.VerifyError");
        assertThat(agentClasses.get(controlKey).link()).startsWith("java.lang.VerifyError");

        assertThat(agentClasses.keySet()).containsExactlyElementsOf(baseClasses.keySet());
        List<String> differences = new ArrayList<>();
        Map<String, JarRow> rows = new TreeMap<>();
        for (Map.Entry<String, Outcome> e : baseClasses.entrySet()) {
            Outcome ob = e.getValue();
            Outcome oa = agentClasses.get(e.getKey());
            String cls = ob.cls();
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
                    try (InputStream in = jf.getInputStream(jf.getJarEntry(e.getValue().cls().replace('.', '/') + ".class"))) {
                        n = concreteMethods(in.readAllBytes(), row);
                    }
                    row.concrete += n;
                    // At most n: a library may define its own classes again in a loader of its own
                    // (guava's Finalizer), which registers the same functions once more.
                    row.withSites += Math.min(n, sites.getOrDefault(module + '\t' + e.getValue().cls(), 0));
                }
            }
        }
        // Classes made at run time (ProxyGenerator, in each child): the same outcome and values in both.
        assertThat(agentGenerated.keySet()).containsExactlyElementsOf(baseGenerated.keySet());
        JarRow generated = new JarRow(GENERATED);
        for (Map.Entry<String, String[]> e : baseGenerated.entrySet()) {
            String[] gb = e.getValue();
            String[] ga = agentGenerated.get(e.getKey());
            if (!String.join("\t", gb).equals(String.join("\t", ga))) {
                differences.add(e.getKey() + ": generated at run time, without jftrace: " + String.join(" ", gb)
                        + "; with: " + String.join(" ", ga));
            }
            generated.classes++;
            generated.linkedBase += gb[2].equals("ok") ? 1 : 0;
            generated.linkedAgent += ga[2].equals("ok") ? 1 : 0;
            generated.initBase += gb[2].equals("ok") ? 1 : 0;
            generated.initAgent += ga[2].equals("ok") ? 1 : 0;
            if (ga[2].equals("ok")) {
                int n = Integer.parseInt(ga[4]);
                generated.instrumented += skipped.containsKey(e.getKey()) ? 0 : 1;
                generated.concrete += n;
                generated.withSites += Math.min(n, sites.getOrDefault("\t" + e.getKey(), 0));
                if (skipped.containsKey(e.getKey())) {
                    generated.leftOut.put(e.getKey(), skipped.get(e.getKey()));
                }
            }
        }
        assertThat(generated.classes).as("classes generated at run time").isGreaterThanOrEqualTo(30);
        assertThat(generated.linkedBase).as("generated classes that load and answer without jftrace")
                .isGreaterThanOrEqualTo(generated.classes - 2);
        rows.put(GENERATED, generated);

        String table = table(rows, b, a, baseTimes, agentTimes);
        Files.writeString(Child.OUT.resolve("corpus.md"), table, StandardCharsets.UTF_8);
        System.out.println(table);

        assertThat(differences).as("classes whose loading, linking or initialization changed with jftrace").isEmpty();
        assertThat(a.err).as("the agent complained").doesNotContain("jftrace:");
        // With the site check on, a method whose sites do not type-check keeps its original code, and its
        // class still links: the report names it. It must name none.
        assertThat(skipped.entrySet().stream().filter(e -> e.getValue().contains("site check")).map(Object::toString).toList())
                .as("classes with methods that failed the agent's site check").isEmpty();
        long concrete = rows.values().stream().mapToLong(r -> r.concrete).sum();
        long withSites = rows.values().stream().mapToLong(r -> r.withSites).sum();
        assertThat(100.0 * withSites / concrete).as("%% of concrete methods with sites, all jars").isGreaterThanOrEqualTo(99.0);
        for (JarRow r : rows.values()) {
            assertThat(r.linkedAgent).as(r.jar).isEqualTo(r.linkedBase);
            assertThat(r.pct()).as("%% of concrete methods with sites in " + r.jar).isGreaterThanOrEqualTo(98.0);
        }
        // Each producer the table names shows in the bytecode of its jars (Kotlin metadata, Scala
        // signatures, TASTy, groovyc's meta-class methods, Clojure's __init classes, ECJ's lambda names).
        for (JarRow r : rows.values()) {
            Producer p = producer(r.jar);
            if (p.evidence != null) {
                assertThat(r.evidence.getOrDefault(p.evidence, 0)).as(r.jar + ": classes showing " + p.evidence).isPositive();
            }
        }
        long producers = rows.values().stream().flatMap(r -> producerKinds(r).stream()).distinct().count();
        assertThat(producers).as("producers of bytecode other than plain javac").isGreaterThanOrEqualTo(10);
    }

    static final String GENERATED = "(generated at run time by Byte Buddy)";

    /** Who made a jar's class files; {@code evidence}: what the bytecode shows of it (null: nothing to test). */
    record Producer(String label, String evidence, List<String> kinds) {
    }

    static final Map<String, Producer> PRODUCERS = new LinkedHashMap<>();

    static {
        PRODUCERS.put("armeria-", new Producer("javac; shaded, trimmed by ProGuard", null, List.of("shaded", "ProGuard")));
        PRODUCERS.put("aspectjweaver-", new Producer("javac; shaded (ASM and others relocated)", null, List.of("shaded")));
        PRODUCERS.put("cglib-nodep-", new Producer("javac; shaded (ASM relocated)", null, List.of("shaded")));
        PRODUCERS.put("kotlin-reflect-", new Producer("kotlinc; shrunk by ProGuard", "Kotlin metadata", List.of("kotlinc", "ProGuard")));
        PRODUCERS.put("moshi-", new Producer("javac and kotlinc", "Kotlin metadata", List.of("kotlinc")));
        for (String k : List.of("kotlin-stdlib-", "kotlinx-", "okio-", "okhttp-")) {
            PRODUCERS.put(k, new Producer("kotlinc", "Kotlin metadata", List.of("kotlinc")));
        }
        for (String k : List.of("scala-library-", "scala-reflect-", "scala-xml_", "scala-parser-combinators_")) {
            PRODUCERS.put(k, new Producer("scalac 2", "Scala signature", List.of("scalac 2")));
        }
        for (String k : List.of("scala3-library_", "cats-")) {
            PRODUCERS.put(k, new Producer("scalac 3", "TASTy", List.of("scalac 3")));
        }
        for (String k : List.of("ecj-", "org.eclipse.core.", "org.eclipse.equinox.common-", "org.eclipse.equinox.preferences-",
                "org.eclipse.equinox.registry-", "org.eclipse.osgi-")) {
            PRODUCERS.put(k, new Producer("ecj", "ECJ lambda names", List.of("ecj")));
        }
        PRODUCERS.put("org.eclipse.equinox.app-", new Producer("ecj (no lambdas to show it)", null, List.of("ecj")));
        for (String k : List.of("groovy-4.", "groovy-xml-")) { // groovy-json is javac alone
            PRODUCERS.put(k, new Producer("javac and groovyc", "groovyc meta-class", List.of("groovyc")));
        }
        for (String k : List.of("clojure-", "spec.alpha-")) {
            PRODUCERS.put(k, new Producer("Clojure compiler (and javac)", "Clojure __init", List.of("Clojure")));
        }
        PRODUCERS.put("spring-aspects-", new Producer("ajc (AspectJ's compiler)", "ajc attributes", List.of("ajc")));
        PRODUCERS.put("spring-core-", new Producer("javac; shaded (cglib, ASM, Objenesis relocated)", null, List.of("shaded")));
        PRODUCERS.put("jruby-", new Producer("javac (JRuby's runtime)", null, List.of()));
    }

    static Producer producer(String jar) {
        for (Map.Entry<String, Producer> e : PRODUCERS.entrySet()) {
            if (jar.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return jar.equals(GENERATED) ? new Producer("Byte Buddy, at run time", null, List.of("Byte Buddy at run time"))
                : new Producer("javac", null, List.of());
    }

    /** The producers of a jar that are not plain javac, class files of version 50 and older counted as one. */
    static List<String> producerKinds(JarRow r) {
        List<String> k = new ArrayList<>(producer(r.jar).kinds());
        if (r.maxVersion > 0 && r.maxVersion <= Opcodes.V1_6) {
            k.add("class files of version 50 and older");
        }
        return k;
    }

    static String exceptionClass(String outcome) {
        int colon = outcome.indexOf(':');
        return colon < 0 ? outcome : outcome.substring(0, colon);
    }

    static String table(Map<String, JarRow> rows, Child base, Child agent, Map<String, Long> baseTimes,
                        Map<String, Long> agentTimes) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "JDK %s; child JVMs: %.1f s without jftrace, %.1f s with (%s)%n",
                System.getProperty("java.version"), base.millis / 1000.0, agent.millis / 1000.0, AGENT_OPTIONS));
        sb.append("phases without / with jftrace:");
        baseTimes.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.1f / %.1f s;", k, v / 1000.0,
                agentTimes.getOrDefault(k, 0L) / 1000.0)));
        List<String> kinds = rows.values().stream().flatMap(r -> producerKinds(r).stream()).distinct().sorted().toList();
        sb.append(String.format(Locale.ROOT, "%n%d producers other than plain javac: %s%n%n", kinds.size(), String.join(", ", kinds)));
        sb.append("| jar | producer | class file versions | classes | linked without / with jftrace | initialized without / with | instrumented | concrete methods | with sites | % |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        long jarCount = rows.keySet().stream().filter(k -> !k.equals(GENERATED)).count();
        JarRow total = new JarRow("**all " + jarCount + " jars" + (rows.containsKey(GENERATED) ? " and the generated classes**" : "**"));
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
            total.minVersion = Math.min(total.minVersion, r.minVersion);
            total.maxVersion = Math.max(total.maxVersion, r.maxVersion);
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
        Producer p = producer(r.jar);
        String label = r.jar.startsWith("**") ? "" : p.label() + (p.evidence() == null ? ""
                : " (" + p.evidence() + ": " + r.evidence.getOrDefault(p.evidence(), 0) + ")");
        String versions = r.maxVersion == 0 ? (r.jar.equals(GENERATED) ? "this JDK's" : "")
                : r.minVersion == r.maxVersion ? String.valueOf(r.minVersion) : r.minVersion + "–" + r.maxVersion;
        sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d / %d | %d / %d | %d | %d | %d | %.2f |%n", r.jar, label,
                versions, r.classes, r.linkedBase, r.linkedAgent, r.initBase, r.initAgent, r.instrumented, r.concrete,
                r.withSites, r.pct()));
    }

    static void readOutcomes(Path file, Map<String, Outcome> classes, Map<String, Integer> sites,
                             Map<String, String[]> generated, Map<String, Long> times) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            if (f[0].equals("CLASS")) {
                classes.put(f[1] + '\t' + f[2], new Outcome(f[1], f[2], f[3], f[4]));
            } else if (f[0].equals("SITES") && sites != null) {
                sites.put(f[1] + '\t' + f[2], Integer.parseInt(f[3]));
            } else if (f[0].equals("GEN")) {
                // name, base type, outcome, values, concrete methods
                generated.put(f[1], java.util.Arrays.copyOfRange(f, 1, 6));
            } else if (f[0].equals("TIME")) {
                times.put(f[1], Long.parseLong(f[2]));
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

    private static final java.util.regex.Pattern ECJ_LAMBDA = java.util.regex.Pattern.compile("lambda\\$\\d+");

    /** The class's concrete methods; notes its version and what it shows of its producer in {@code row}. */
    static int concreteMethods(byte[] classFile, JarRow row) {
        int[] n = new int[1];
        java.util.Set<String> shows = new java.util.TreeSet<>();
        ClassReader cr = new ClassReader(classFile);
        int version = cr.readUnsignedShort(6);
        row.minVersion = Math.min(row.minVersion, version);
        row.maxVersion = Math.max(row.maxVersion, version);
        if (cr.getClassName().endsWith("__init")) {
            shows.add("Clojure __init");
        }
        cr.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public org.objectweb.asm.AnnotationVisitor visitAnnotation(String desc, boolean visible) {
                if (desc.equals("Lkotlin/Metadata;")) {
                    shows.add("Kotlin metadata");
                }
                return null;
            }

            @Override
            public void visitAttribute(org.objectweb.asm.Attribute a) {
                if (a.type.equals("ScalaSig") || a.type.equals("ScalaInlineInfo")) {
                    shows.add("Scala signature");
                } else if (a.type.equals("TASTY")) {
                    shows.add("TASTy");
                } else if (a.type.startsWith("org.aspectj.weaver.")) {
                    shows.add("ajc attributes");
                }
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exc) {
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0) {
                    n[0]++;
                }
                if (name.equals("$getStaticMetaClass")) {
                    shows.add("groovyc meta-class");
                } else if (ECJ_LAMBDA.matcher(name).matches()) {
                    shows.add("ECJ lambda names");
                }
                return null;
            }
        }, ClassReader.SKIP_CODE);
        shows.forEach(k -> row.evidence.merge(k, 1, Integer::sum));
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
