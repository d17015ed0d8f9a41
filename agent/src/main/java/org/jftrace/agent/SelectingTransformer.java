package org.jftrace.agent;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.JdkSites;
import org.jftrace.ftrace.NotraceList;

/**
 * The transformer the agent registers. A class that an eager selector selects (an {@code include}:
 * the startup options' or an attach's) gets its sites as it loads. A class that only the default
 * selector selects is scanned instead ({@link FunctionScan}): its functions are listed and can be
 * filtered, and the class is planted when a filter first selects one of them, by the {@link Planter}
 * (or at once, if one is selected as it loads). Remembers which classes got sites, so that an attach
 * retransforms only the loaded classes still without them.
 */
final class SelectingTransformer implements ClassFileTransformer {

    private final SiteTransformer sites;
    private volatile JdkLoadPlanter jdkLoadPlanter;
    private final List<ClassSelector> selectors = new CopyOnWriteArrayList<>();
    private final Map<ClassLoader, Set<String>> instrumented = new WeakHashMap<>();
    private final Map<ClassLoader, Map<String, ClassKey>> scanned = new WeakHashMap<>();
    /** Time spent planting sites, over all classes. */
    final AtomicLong transformNanos = new AtomicLong();
    /** Classes scanned, and the time it took. */
    final AtomicLong classesScanned = new AtomicLong();
    final AtomicLong scanNanos = new AtomicLong();

    SelectingTransformer(SiteTransformer sites, ClassSelector first) {
        this.sites = sites;
        selectors.add(first);
    }

    /** Where selectors report the JDK classes the notrace list refuses. */
    ClassSelector.Refusals refusals() {
        return sites;
    }

    /** Where the JDK classes that load from now on go to get their sites (see {@link JdkLoadPlanter}). */
    void setJdkLoadPlanter(JdkLoadPlanter p) {
        jdkLoadPlanter = p;
    }

    /** Lets the JDK classes loaded since an include named them get their sites (see {@link JdkLoadPlanter#arm}). */
    void armJdkLoadPlanter() {
        JdkLoadPlanter p = jdkLoadPlanter;
        if (p != null) {
            p.arm();
        }
    }

    void addSelector(ClassSelector s) {
        selectors.add(s);
    }

    /** @return whether the class (internal name) of that loader got sites when loaded or retransformed */
    boolean instrumented(ClassLoader loader, String internalName) {
        synchronized (instrumented) {
            Set<String> s = instrumented.get(loader);
            return s != null && s.contains(internalName);
        }
    }

    /** @return the class's key if its functions are known (it was scanned or planted), else null */
    ClassKey scannedClass(ClassLoader loader, String internalName) {
        synchronized (scanned) {
            Map<String, ClassKey> m = scanned.get(loader);
            return m == null ? null : m.get(internalName);
        }
    }

    /** The class's key, made on first use. */
    private ClassKey classKey(ClassLoader loader, String internalName) {
        synchronized (scanned) {
            // No lambdas on the class-loading path: each would make the JVM spin classes at startup.
            Map<String, ClassKey> m = scanned.get(loader);
            if (m == null) {
                m = new HashMap<>();
                scanned.put(loader, m);
            }
            ClassKey k = m.get(internalName);
            if (k == null) {
                k = new ClassKey(loader, internalName);
                m.put(internalName, k);
            }
            return k;
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain pd, byte[] bytes) {
        if (className == null) {
            return null;
        }
        int how = selection(loader, className);
        if (how == NONE) {
            return null;
        }
        JdkLoadPlanter later = jdkLoadPlanter;
        if (redefined == null && later != null && NotraceList.isJdk(loader, className)) {
            later.add(loader, className); // loading must not wait for the core's lock (see JdkLoadPlanter)
            return null;
        }
        ClassKey key = classKey(loader, className);
        if (how == LAZY) {
            boolean plant = key.plant;
            if (!plant) {
                key = scan(module, loader, className, pd, bytes);
                plant = key != null && Ftrace.claimPlant(key); // a filter selects it as it loads
                if (plant) {
                    key.plant = true; // and keeps its sites if it is ever retransformed again
                }
            }
            if (!plant) {
                return null;
            }
        }
        long t0 = System.nanoTime();
        long inside = JdkSites.enterTracerCode(); // the JDK methods planting calls are not traced
        byte[] out;
        try {
            out = sites.transform(module, loader, className, redefined, pd, bytes, key);
        } finally {
            JdkSites.leaveTracerCode(inside);
        }
        transformNanos.addAndGet(System.nanoTime() - t0);
        if (out != null) { // the boot loader's classes too: WeakHashMap takes a null key
            synchronized (instrumented) {
                Set<String> s = instrumented.get(loader);
                if (s == null) {
                    s = new HashSet<>();
                    instrumented.put(loader, s);
                }
                s.add(className);
            }
        }
        return out;
    }

    /**
     * Registers the functions of a class without planting it (see {@link FunctionScan}).
     * @return its class key, or null if it cannot get sites (its loader does not see the runtime, or
     *         its class file cannot be read: then planting it would fail too, and says why)
     */
    ClassKey scan(Module module, ClassLoader loader, String className, ProtectionDomain pd, byte[] bytes) {
        if (!sites.seesRuntime(loader)) {
            sites.skip(className, SiteTransformer.CANNOT_SEE_RUNTIME);
            return null;
        }
        long t0 = System.nanoTime();
        ClassKey key = classKey(loader, className);
        try {
            FunctionScan.scan(bytes, loader, SiteTransformer.moduleName(module, pd), key);
        } catch (RuntimeException e) { // a class file the JVM will reject, or one ASM cannot read
            sites.skip(className, e.toString());
            return null;
        }
        classesScanned.incrementAndGet();
        scanNanos.addAndGet(System.nanoTime() - t0);
        return key;
    }

    static final int NONE = 0;
    static final int LAZY = 1;
    static final int EAGER = 2;

    /** How the class gets sites: {@link #EAGER} if an eager selector selects it, else {@link #LAZY} or {@link #NONE}. */
    int selection(ClassLoader loader, String className) {
        int how = NONE;
        for (ClassSelector s : selectors) {
            if (s.selects(loader, className)) {
                if (s.eager()) {
                    return EAGER;
                }
                how = LAZY;
            }
        }
        return how;
    }
}
