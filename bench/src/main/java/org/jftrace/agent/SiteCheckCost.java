package org.jftrace.agent;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * What the site check ({@code check=1}, {@link SiteCheck}) costs at class load: every class of every
 * jar in a directory goes through the agent's own {@link SiteTransformer#transform}, with the check
 * and without it, in alternating rounds, and the transformer's CPU time is compared. Class loading
 * spends this time once per class, so it bounds what the check adds to a program's startup.
 *
 * <pre>
 *   mvn -q package -DskipTests
 *   java -cp bench/target/benchmarks.jar:bench/target/report-lib/jftrace-agent.jar:bench/target/report-lib/jftrace-runtime.jar \
 *        org.jftrace.agent.SiteCheckCost reliability/target/corpus [rounds]
 * </pre>
 */
public final class SiteCheckCost {

    private SiteCheckCost() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "reliability/target/corpus");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<String> names = new ArrayList<>();
        List<byte[]> classes = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                read(jar, names, classes);
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ClassLoader loader = SiteCheckCost.class.getClassLoader();
        ClassSelector all = new ClassSelector(List.of(), List.of());
        SiteTransformer[] t = {new SiteTransformer(null, all, false), new SiteTransformer(null, all, true)};
        transformAll(t[0], loader, names, classes); // warm-up of both paths: the JIT, and every function registered
        transformAll(t[1], loader, names, classes);
        double[][] ms = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                int mode = (r + k) % 2; // alternate which goes first
                long c0 = mx.getCurrentThreadCpuTime();
                transformAll(t[mode], loader, names, classes);
                ms[mode][r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
            }
            System.out.printf(Locale.ROOT, "round %d: check=0 %.0f ms, check=1 %.0f ms (%.3fx)%n", r + 1, ms[0][r], ms[1][r],
                    ms[1][r] / ms[0][r]);
        }
        double off = median(ms[0]);
        double on = median(ms[1]);
        System.out.printf(Locale.ROOT, "%d classes from %s, JDK %s: transformer CPU time, median of %d rounds: "
                        + "check=0 %.0f ms (%.1f us/class), check=1 %.0f ms (%.1f us/class): %.3fx%n",
                classes.size(), dir, System.getProperty("java.version"), rounds, off, 1000 * off / classes.size(), on,
                1000 * on / classes.size(), on / off);
        System.out.println("methods the check kept unchanged: " + t[1].methodsWithout.get() / (rounds + 1)
                + " per pass; classes left unchanged or reported: " + t[0].skipped().size() + " without the check, "
                + t[1].skipped().size() + " with it");
        t[1].skipped().entrySet().stream().limit(5).forEach(e -> System.out.println("  " + e.getKey() + ": " + e.getValue()));
    }

    private static void transformAll(SiteTransformer t, ClassLoader loader, List<String> names, List<byte[]> classes) {
        for (int i = 0; i < classes.size(); i++) {
            t.transform(null, loader, names.get(i), null, null, classes.get(i));
        }
    }

    private static void read(Path jar, List<String> names, List<byte[]> classes) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (JarEntry e : Collections.list(jf.entries())) {
                String n = e.getName();
                if (!n.endsWith(".class") || n.startsWith("META-INF/") || n.endsWith("module-info.class")
                        || n.endsWith("package-info.class")) {
                    continue;
                }
                names.add(n.substring(0, n.length() - ".class".length()));
                classes.add(jf.getInputStream(e).readAllBytes());
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
