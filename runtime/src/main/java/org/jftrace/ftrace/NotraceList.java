package org.jftrace.ftrace;

/**
 * The built-in notrace list: JDK classes that never get sites, whatever {@code include} says, each
 * with its reason. The kernel marks the functions its tracer runs on {@code notrace}; these are the
 * JVM's: the classes the trampoline, the buffers, the clock, the sites' linkage and the agent's
 * transformer run on, where a site would recurse into the tracer or break the JVM's own linkage.
 * JFR's method tracing keeps a list of the same kind (jdk.internal, ConcurrentHashMap, AtomicLong,
 * Unsafe, the jdk.jfr module).
 *
 * <p>Besides these classes, the agent gives no sites to hidden classes (the JVM cannot transform
 * them; LambdaForms are hidden), to abstract and native methods, and to the JDK's intrinsic
 * candidates ({@link #INTRINSIC}).
 */
public final class NotraceList {

    /** The reason an intrinsic candidate of the JDK gets no site. */
    public static final String INTRINSIC =
            "intrinsic candidate: C2 may compile its calls without running its bytecode, so a site would trace it only sometimes";

    /** Internal-name prefixes and their reasons, in the order {@code jftrace/report} lists them. */
    private static final String[][] RULES = {
            {"org/jftrace/", "jftrace itself"},
            {"java/lang/", "the JVM's core, which the trampoline, its sites' linkage (java.lang.invoke), the per-thread"
                    + " context (Thread, ThreadLocal, java.lang.ref), boxing and the agent's transformer run on"},
            {"jdk/internal/", "the JDK's internals: Unsafe, continuations, the VM's annotations; classes whose"
                    + " initialisation a site must not trigger"},
            {"sun/invoke/", "method-handle internals the sites' linkage runs on"},
            {"sun/misc/Unsafe", "Unsafe"},
            {"jdk/jfr/", "JFR, which reads the clock and the events beside the tracer"},
            {"jdk/proxy", "dynamic proxies the JDK defines as the application runs (JFR leaves them alone too)"},
            {"java/util/Objects", "java.lang.invoke calls it while it links a call site"},
            {"java/util/Arrays", "java.lang.invoke calls it while it links a call site (method types)"},
            {"java/util/concurrent/ConcurrentHashMap", "the tracer's registries (threads' contexts, site shapes)"},
            {"java/util/concurrent/atomic/", "the tracer's counters"},
            {"java/util/concurrent/locks/LockSupport", "the writers' wake-up of the drain"},
    };

    private NotraceList() {
    }

    /** Each rule's line for the report: {@code java.lang.*: reason}. Made once: asked as classes load. */
    private static final String[] REASONS = new String[RULES.length];

    static {
        for (int i = 0; i < RULES.length; i++) {
            String p = RULES[i][0];
            REASONS[i] = p.replace('/', '.') + (p.endsWith("/") ? "*" : "") + ": " + RULES[i][1];
        }
    }

    /** @return why the class (internal name, e.g. {@code java/lang/String}) gets no sites, or null if it may */
    public static String reason(String internalName) {
        for (int i = 0; i < RULES.length; i++) {
            if (internalName.startsWith(RULES[i][0])) {
                return REASONS[i];
            }
        }
        return null;
    }

    /**
     * The reason that covers every class a glob over dotted class names can select, or null: a glob
     * whose literal head lies inside one rule (e.g. {@code java.lang.String*}) selects only classes
     * the list refuses.
     */
    public static String coveringReason(String glob) {
        int end = glob.length();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '\\') {
                end = i;
                break;
            }
        }
        String head = glob.substring(0, end).replace('.', '/');
        for (String[] r : RULES) {
            if (head.startsWith(r[0])) {
                return reason(r[0]);
            }
        }
        return null;
    }

    /** The list, one line per rule: {@code prefix<TAB>reason}. */
    public static String describe() {
        StringBuilder sb = new StringBuilder();
        for (String[] r : RULES) {
            sb.append(r[0].replace('/', '.')).append(r[0].endsWith("/") ? "*" : "").append('\t').append(r[1]).append('\n');
        }
        sb.append("hidden classes (LambdaForms, lambdas' classes)\tthe JVM cannot transform them\n");
        sb.append("@IntrinsicCandidate methods of the JDK\t").append(INTRINSIC).append('\n');
        return sb.toString();
    }

    /**
     * Whether a class of this loader and name is the JDK's: the boot and platform loaders' classes,
     * and JDK packages defined by other loaders (reflection's generated accessors, proxies).
     */
    public static boolean isJdk(ClassLoader loader, String internalName) {
        return loader == null || loader == ClassLoader.getPlatformClassLoader() || internalName.startsWith("java/")
                || internalName.startsWith("jdk/") || internalName.startsWith("sun/");
    }

    /** The package roots under which an {@code include} glob can name JDK classes. */
    private static final String[] JDK_ROOTS = {"java.", "javax.", "jdk.", "sun.", "com.sun."};

    /**
     * Whether an {@code include} glob names JDK packages: its text before the first wildcard begins with
     * a JDK package root ({@code java.util.*}, {@code java.*}). Only such globs give JDK classes sites;
     * {@code *} or {@code com.acme.*} never do.
     */
    public static boolean namesJdk(String glob) {
        for (String root : JDK_ROOTS) {
            if (glob.startsWith(root)) {
                return true;
            }
        }
        return false;
    }
}
