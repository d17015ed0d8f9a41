package org.jftrace.reliability;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs in a child JVM (with or without the agent): loads every class of every corpus jar through one
 * {@link URLClassLoader} (a user-defined loader, so HotSpot verifies every class it defines), links
 * each one, then initializes it, and writes one line per class with both outcomes.
 *
 * <p>Linking is forced with {@link Class#getDeclaredMethods()}: HotSpot links the class (and so
 * verifies it) before it reflects on it, without running its static initializer. Initialization
 * ({@code Class.forName(name, true, loader)}) then runs each static initializer, i.e. instrumented
 * code, with whatever tracer the agent options started.
 *
 * <p>Then {@link ProxyGenerator} makes classes at run time with the corpus' Byte Buddy, and loads,
 * links and calls them: one {@code GEN} line each.
 *
 * <p>Usage: {@code CorpusDriver OUT_FILE [--no-init] ENTRY...} where an entry is a jar or a directory of
 * classes. With the agent present, it also writes, per class, how many functions (methods with sites)
 * the agent registered, read from the runtime's records.
 *
 * <p>This class is in {@code org.jftrace}, which the agent never instruments.
 */
public final class CorpusDriver {

    private CorpusDriver() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        boolean init = true;
        List<Path> entries = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--no-init")) {
                init = false;
            } else {
                entries.add(Path.of(args[i]));
            }
        }
        URL[] urls = new URL[entries.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = entries.get(i).toUri().toURL();
        }
        URLClassLoader loader = new URLClassLoader("corpus", urls, ClassLoader.getPlatformClassLoader());
        Map<String, List<String>> byEntry = new TreeMap<>();
        for (Path e : entries) {
            byEntry.put(e.getFileName().toString(), classNames(e));
        }
        // Static initializers may print, start threads, or fail: keep them off our output.
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            List<String[]> linked = new ArrayList<>();
            long t0 = System.nanoTime();
            for (Path e : entries) {
                String entry = e.getFileName().toString();
                for (String name : byEntry.get(entry)) {
                    String outcome;
                    try {
                        Class<?> c = Class.forName(name, false, loader);
                        String from = origin(c);
                        if (!from.equals(entry)) {
                            outcome = "shadowed-by:" + from;
                        } else {
                            c.getDeclaredMethods(); // links (verifies) the class, no static init
                            outcome = "ok";
                        }
                    } catch (Throwable t) {
                        outcome = describe(t);
                    }
                    linked.add(new String[] {entry, name, outcome});
                }
            }
            long t1 = System.nanoTime();
            // Initialize in a second pass, after everything linked, in the same order in both runs.
            Map<String, Long> initNanos = new TreeMap<>();
            for (String[] l : linked) {
                String initOutcome = "-";
                if (init && l[2].equals("ok")) {
                    long s0 = System.nanoTime();
                    try {
                        Class.forName(l[1], true, loader);
                        initOutcome = "ok";
                    } catch (Throwable t) {
                        initOutcome = describe(t);
                    }
                    initNanos.merge(l[0], System.nanoTime() - s0, Long::sum);
                }
                w.println("CLASS\t" + l[0] + '\t' + l[1] + '\t' + l[2] + '\t' + initOutcome);
            }
            long t2 = System.nanoTime();
            // Classes made at run time by the corpus' Byte Buddy, in this JVM (with the agent: sites and all).
            for (String line : generate(loader)) {
                w.println(line);
            }
            long t3 = System.nanoTime();
            w.println("TIME\tload and link\t" + (t1 - t0) / 1_000_000);
            w.println("TIME\tinitialize\t" + (t2 - t1) / 1_000_000);
            w.println("TIME\tgenerate\t" + (t3 - t2) / 1_000_000);
            // CPU time of the whole process: on a shared machine, a steadier figure than the wall clock.
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                w.println("TIME\tCPU of the whole process\t" + sun.getProcessCpuTime() / 1_000_000);
            }
            initNanos.forEach((jar, ns) -> w.println("INITTIME\t" + jar + '\t' + ns / 1_000_000));
            writeSites(w);
        }
        System.exit(0); // static initializers may have started non-daemon threads
    }

    /**
     * Runs {@link ProxyGenerator} in a loader of its own whose parent is the corpus loader, so that it
     * links against the corpus' Byte Buddy (this JVM's class path has no Byte Buddy).
     */
    @SuppressWarnings("unchecked")
    private static List<String> generate(ClassLoader corpus) throws Exception {
        URL self = CorpusDriver.class.getProtectionDomain().getCodeSource().getLocation();
        URLClassLoader gen = new URLClassLoader("generator", new URL[] {self}, corpus);
        Class<?> g = Class.forName("org.jftrace.reliability.ProxyGenerator", true, gen);
        return (List<String>) g.getMethod("run", ClassLoader.class).invoke(null, gen);
    }

    /** Per class, the number of functions the agent registered for it (none without the agent). */
    private static void writeSites(PrintWriter w) throws Exception {
        Class<?> ftrace;
        try {
            ftrace = Class.forName("org.jftrace.ftrace.Ftrace", false, null);
        } catch (ClassNotFoundException e) {
            return;
        }
        Object records = ftrace.getMethod("records").invoke(null);
        java.lang.reflect.Method size = records.getClass().getMethod("size");
        java.lang.reflect.Method fname = records.getClass().getMethod("name", int.class);
        java.lang.reflect.Method module = records.getClass().getMethod("module", int.class);
        int n = (int) size.invoke(records);
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 1; i <= n; i++) {
            String name = (String) fname.invoke(records, i);
            String mod = (String) module.invoke(records, i);
            String cls = name.substring(0, name.lastIndexOf('.', name.indexOf('(')));
            counts.merge(mod + '\t' + cls, 1, Integer::sum);
        }
        counts.forEach((k, v) -> w.println("SITES\t" + k + '\t' + v));
    }

    private static String origin(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return "?";
        }
        String p = cs.getLocation().getPath();
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** The throwable's class and first line of message, with jftrace-independent details kept. */
    static String describe(Throwable t) {
        String full = String.valueOf(t.getMessage());
        String[] lines = full.split("\n");
        String m = lines[0];
        if (m.length() > 200) {
            m = m.substring(0, 200);
        }
        // HotSpot's VerifyError: the method and bytecode offset, and why, on the lines after the first.
        for (int i = 1; i + 1 < lines.length; i++) {
            String label = lines[i].trim();
            if (label.equals("Location:") || label.equals("Reason:")) {
                String v = lines[i + 1].trim();
                m += " | " + (v.length() > 300 ? v.substring(0, 300) : v);
            }
        }
        return t.getClass().getName() + ": " + m.replace('\t', ' ');
    }

    private static final Pattern VERSIONED = Pattern.compile("META-INF/versions/(\\d+)/(.*)\\.class");

    /**
     * Every class of a jar or directory, as the runtime sees it: base entries, plus entries that exist
     * only under {@code META-INF/versions/N} for N up to this JDK. No module-info or package-info.
     */
    static List<String> classNames(Path entry) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        if (Files.isDirectory(entry)) {
            try (var s = Files.walk(entry)) {
                s.filter(p -> p.toString().endsWith(".class")).forEach(p -> {
                    String rel = entry.relativize(p).toString().replace(File.separatorChar, '/');
                    add(names, rel.substring(0, rel.length() - 6));
                });
            }
            return new ArrayList<>(names);
        }
        int feature = Runtime.version().feature();
        try (JarFile jar = new JarFile(entry.toFile())) {
            boolean multi = jar.isMultiRelease();
            for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
                String n = en.nextElement().getName();
                if (!n.endsWith(".class")) {
                    continue;
                }
                if (n.startsWith("META-INF/")) {
                    Matcher m = VERSIONED.matcher(n);
                    if (multi && m.matches() && Integer.parseInt(m.group(1)) <= feature) {
                        add(names, m.group(2));
                    }
                    continue;
                }
                add(names, n.substring(0, n.length() - 6));
            }
        }
        return new ArrayList<>(names);
    }

    private static void add(TreeSet<String> names, String internal) {
        if (internal.equals("module-info") || internal.endsWith("/package-info") || internal.equals("package-info")) {
            return;
        }
        names.add(internal.replace('/', '.'));
    }
}
