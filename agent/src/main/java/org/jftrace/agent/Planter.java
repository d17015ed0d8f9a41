package org.jftrace.agent;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jftrace.ftrace.FtraceLog;
import org.jftrace.ftrace.SitePlanter;

/**
 * Plants the scanned classes a filter has just selected, by retransformation, before the write
 * that selected them returns: the cost of sites is paid only by the classes traced, once (sites
 * once planted stay, and cost nothing while off).
 *
 * <p>Many classes go in one {@link Instrumentation#retransformClasses} call ({@link #BATCH}): each
 * call is a safepoint operation. A batch that fails is split in halves until the class that fails is
 * found and reported; unmodifiable classes (hidden classes such as lambdas) are reported and left
 * alone.
 */
final class Planter implements SitePlanter {

    /** Classes per retransformClasses call: few safepoints, yet bounded pauses. */
    static final int BATCH = 1000;

    private final Instrumentation inst;
    private final Map<String, String> notPlanted;
    final AtomicLong classesPlanted = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    final AtomicLong plantNanos = new AtomicLong();

    /** @param notPlanted where the classes that cannot be planted are reported, with the reason */
    Planter(Instrumentation inst, Map<String, String> notPlanted) {
        this.inst = inst;
        this.notPlanted = notPlanted;
    }

    @Override
    public void plant(Set<Object> classKeys) {
        long t0 = System.nanoTime();
        // The loaded classes by loader and name: one pass over all of them, not a lookup per class.
        Map<ClassLoader, Map<String, ClassKey>> wanted = new IdentityHashMap<>();
        int n = 0;
        for (Object o : classKeys) {
            ClassKey k = (ClassKey) o;
            ClassLoader l = k.loader.get();
            if (l != null) {
                k.plant = true;
                wanted.computeIfAbsent(l, x -> new HashMap<>()).put(k.dottedName(), k);
                n++;
            }
        }
        List<Class<?>> todo = new ArrayList<>(n);
        for (Class<?> c : inst.getAllLoadedClasses()) {
            Map<String, ClassKey> m = wanted.get(c.getClassLoader());
            if (m == null || m.isEmpty()) {
                continue;
            }
            if (m.remove(c.getName()) != null) {
                if (inst.isModifiableClass(c)) {
                    todo.add(c);
                } else {
                    notPlanted.put(c.getName(), "not modifiable (a hidden class such as a lambda): left without sites");
                }
            }
        }
        // Not in the list: still being defined by another thread when it was taken. Its loader has it,
        // or will once that thread is done.
        for (Map.Entry<ClassLoader, Map<String, ClassKey>> e : wanted.entrySet()) {
            for (String name : e.getValue().keySet()) {
                try {
                    todo.add(Class.forName(name, false, e.getKey()));
                } catch (Throwable t) {
                    notPlanted.put(name, "cannot be found to get its sites: " + t);
                }
            }
        }
        List<String> failed = new ArrayList<>();
        retransform(todo, failed);
        if (!failed.isEmpty()) {
            FtraceLog.warn(failed.size() + " selected classes could not get sites (e.g. " + failed.get(0)
                    + "); see jftrace PID cat jftrace/report");
        }
        plantNanos.addAndGet(System.nanoTime() - t0);
    }

    /**
     * Retransforms {@code classes}, {@link #BATCH} per call; each class that fails is added to
     * {@code failed} and reported with the reason.
     */
    void retransform(List<Class<?>> classes, List<String> failed) {
        for (int i = 0; i < classes.size(); i += BATCH) {
            batch(classes.subList(i, Math.min(classes.size(), i + BATCH)), failed);
        }
    }

    private void batch(List<Class<?>> classes, List<String> failed) {
        try {
            batches.incrementAndGet();
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
            classesPlanted.addAndGet(classes.size());
        } catch (Throwable t) {
            if (classes.size() == 1) {
                String name = classes.get(0).getName();
                failed.add(name);
                notPlanted.put(name, "retransformation failed: " + t);
                return;
            }
            int half = classes.size() / 2;
            batch(classes.subList(0, half), failed);
            batch(classes.subList(half, classes.size()), failed);
        }
    }
}
