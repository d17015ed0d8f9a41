package org.jftrace.agent;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The transformer the agent registers: passes to the {@link SiteTransformer} the classes that any
 * selector so far selects (the startup options' and every attach's, since sites once planted are
 * never a cost), and remembers which classes got sites, so that an attach retransforms only the
 * loaded classes still without them.
 */
final class SelectingTransformer implements ClassFileTransformer {

    private final SiteTransformer sites;
    private final List<ClassSelector> selectors = new CopyOnWriteArrayList<>();
    private final Map<ClassLoader, Set<String>> instrumented = new WeakHashMap<>();
    /** Time spent planting sites, over all classes. */
    final java.util.concurrent.atomic.AtomicLong transformNanos = new java.util.concurrent.atomic.AtomicLong();

    SelectingTransformer(SiteTransformer sites, ClassSelector first) {
        this.sites = sites;
        selectors.add(first);
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

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain pd, byte[] bytes) {
        if (className == null || !selected(loader, className)) {
            return null;
        }
        long t0 = System.nanoTime();
        byte[] out = sites.transform(module, loader, className, redefined, pd, bytes);
        transformNanos.addAndGet(System.nanoTime() - t0);
        if (out != null && loader != null) {
            synchronized (instrumented) {
                instrumented.computeIfAbsent(loader, l -> new HashSet<>()).add(className);
            }
        }
        return out;
    }

    private boolean selected(ClassLoader loader, String className) {
        for (ClassSelector s : selectors) {
            if (s.selects(loader, className)) {
                return true;
            }
        }
        return false;
    }
}
