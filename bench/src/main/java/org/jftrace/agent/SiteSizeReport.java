package org.jftrace.agent;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The prologue-size report: the JVM's "64BIT is already expensive". How many bytes of bytecode do the
 * sites add to each method of a real jar, and how many methods do they push over the sizes that decide
 * whether HotSpot inlines a method?
 *
 * <p>Every class of the jar goes through the agent's own {@link SiteTransformer#transform} (the path a
 * class takes when it loads under {@code -javaagent}, with the default selection: every class), then
 * the {@code code_length} of each method's {@code Code} attribute is read from the class file before
 * and after ({@link #codeLengths}, a minimal class-file parser). Limits checked, as "original &lt;=
 * limit &lt; instrumented" (HotSpot inlines when the size is not above the limit):
 * <ul>
 *   <li>6: {@code C1MaxTrivialSize} (C1 inlines trivial methods regardless of other limits);</li>
 *   <li>35: {@code MaxInlineSize} (C2 and C1: the limit for a callee that is not hot);</li>
 *   <li>325: {@code FreqInlineSize} (C2: the limit for a hot callee);</li>
 *   <li>8000: {@code HugeMethodLimit} (with the default {@code DontCompileHugeMethods}, never compiled).</li>
 * </ul>
 *
 * <p>It lives in the agent's package because {@code SiteTransformer} and {@code ClassSelector} are
 * package-private. HOW TO RUN (from the repository root, after {@code mvn -q package -DskipTests}):
 * <pre>
 *   java -cp bench/target/benchmarks.jar:bench/target/report-lib/jftrace-agent.jar:bench/target/report-lib/jftrace-runtime.jar \
 *        org.jftrace.agent.SiteSizeReport bench/target/report-lib/guava.jar
 * </pre>
 */
public final class SiteSizeReport {

    private static final int[] LIMITS = {6, 35, 325, 8000};
    private static final String[] LIMIT_NAMES = {"C1MaxTrivialSize", "MaxInlineSize", "FreqInlineSize", "HugeMethodLimit"};

    private SiteSizeReport() {
    }

    public static void main(String[] args) throws IOException {
        String jarPath = args.length > 0 ? args[0] : "bench/target/report-lib/guava.jar";
        SiteTransformer transformer = new SiteTransformer(null, new ClassSelector(List.of(), List.of()), true);
        ClassLoader loader = SiteSizeReport.class.getClassLoader();

        List<Integer> added = new ArrayList<>();
        int classes = 0;
        int classesSkipped = 0;
        int methodsUnchanged = 0;
        int[] crossed = new int[LIMITS.length];
        int[] below = new int[LIMITS.length];
        long origTotal = 0;
        long instTotal = 0;
        String maxMethod = "";
        int maxAdded = Integer.MIN_VALUE;
        try (JarFile jar = new JarFile(jarPath)) {
            List<JarEntry> entries = Collections.list((Enumeration<JarEntry>) jar.entries());
            for (JarEntry e : entries) {
                String name = e.getName();
                if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
                    continue;
                }
                byte[] orig = jar.getInputStream(e).readAllBytes();
                String internal = name.substring(0, name.length() - ".class".length());
                classes++;
                byte[] inst = transformer.transform(null, loader, internal, null, null, orig);
                if (inst == null) {
                    classesSkipped++;
                    continue;
                }
                Map<String, Integer> before = codeLengths(orig);
                Map<String, Integer> after = codeLengths(inst);
                for (Map.Entry<String, Integer> m : before.entrySet()) {
                    int o = m.getValue();
                    Integer a = after.get(m.getKey());
                    if (a == null) {
                        throw new IllegalStateException("method lost: " + internal + "." + m.getKey());
                    }
                    if (a == o) {
                        methodsUnchanged++;
                        continue;
                    }
                    int d = a - o;
                    added.add(d);
                    origTotal += o;
                    instTotal += a;
                    if (d > maxAdded) {
                        maxAdded = d;
                        maxMethod = internal.replace('/', '.') + "." + m.getKey() + " (" + o + " -> " + a + ")";
                    }
                    for (int i = 0; i < LIMITS.length; i++) {
                        if (o <= LIMITS[i]) {
                            below[i]++;
                            if (a > LIMITS[i]) {
                                crossed[i]++;
                            }
                        }
                    }
                }
            }
        }
        Collections.sort(added);
        int n = added.size();
        System.out.println("SiteSizeReport: " + jarPath);
        System.out.printf("classes: %d, transformed %d, left unchanged by the transformer %d%n", classes,
                classes - classesSkipped, classesSkipped);
        transformer.skipped().entrySet().stream().limit(5).forEach(e ->
                System.out.println("  skipped: " + e.getKey() + ": " + e.getValue()));
        if (added.isEmpty()) {
            throw new IllegalStateException("no method got sites");
        }
        System.out.printf("methods with sites: %d (methods with code kept unchanged: %d)%n", n, methodsUnchanged);
        System.out.printf("bytes added per method: min %d, median %d, p90 %d, p99 %d, max %d, mean %.1f%n",
                added.get(0), percentile(added, 50), percentile(added, 90), percentile(added, 99), added.get(n - 1),
                added.stream().mapToInt(Integer::intValue).average().orElse(0));
        System.out.printf("largest addition: %s%n", maxMethod);
        System.out.printf("total code: %d -> %d bytes (+%.1f%%)%n", origTotal, instTotal,
                100.0 * (instTotal - origTotal) / origTotal);
        System.out.println("| limit | bytes | methods with original <= limit | pushed over (original <= limit < instrumented) | share |");
        System.out.println("|---|---|---|---|---|");
        for (int i = 0; i < LIMITS.length; i++) {
            System.out.printf("| %s | %d | %d | %d | %.1f%% |%n", LIMIT_NAMES[i], LIMITS[i], below[i], crossed[i],
                    below[i] == 0 ? 0.0 : 100.0 * crossed[i] / below[i]);
        }
    }

    private static int percentile(List<Integer> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    /**
     * @return name+descriptor to the {@code code_length} of its {@code Code} attribute, for each method
     *     that has one (JVMS 4.7.3)
     */
    static Map<String, Integer> codeLengths(byte[] b) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int cpCount = in.readUnsignedShort();
        String[] utf8 = new String[cpCount];
        for (int i = 1; i < cpCount; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1: utf8[i] = in.readUTF(); break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: in.skipBytes(4); break;
                case 5: case 6: in.skipBytes(8); i++; break;
                case 7: case 8: case 16: case 19: case 20: in.skipBytes(2); break;
                case 15: in.skipBytes(3); break;
                default: throw new IOException("bad constant pool tag " + tag + " at " + i);
            }
        }
        in.skipBytes(6); // access, this, super
        in.skipBytes(2 * in.readUnsignedShort()); // interfaces
        int fields = in.readUnsignedShort();
        for (int f = 0; f < fields; f++) {
            in.skipBytes(6);
            skipAttributes(in);
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        int methods = in.readUnsignedShort();
        for (int m = 0; m < methods; m++) {
            in.skipBytes(2);
            String name = utf8[in.readUnsignedShort()];
            String desc = utf8[in.readUnsignedShort()];
            int attrs = in.readUnsignedShort();
            for (int a = 0; a < attrs; a++) {
                String an = utf8[in.readUnsignedShort()];
                int len = in.readInt();
                if ("Code".equals(an)) {
                    in.skipBytes(4); // max_stack, max_locals
                    int codeLength = in.readInt();
                    out.put(name + desc, codeLength);
                    in.skipBytes(len - 8);
                } else {
                    in.skipBytes(len);
                }
            }
        }
        return out;
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        for (int i = 0; i < n; i++) {
            in.skipBytes(2);
            in.skipBytes(in.readInt());
        }
    }
}
