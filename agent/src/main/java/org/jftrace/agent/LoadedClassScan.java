package org.jftrace.agent;

import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jftrace.filter.FilterRule;
import org.jftrace.filter.Glob;
import org.jftrace.ftrace.FunctionDiscovery;

/**
 * The classes that were loaded before a late attach and whose functions are not known yet: each is
 * scanned (its class file read through its loader, {@link FunctionScan}) the first time a filter may
 * select one of its functions, or when {@code available_filter_functions} is read. A first attach on
 * one package then reads that package's class files only.
 */
final class LoadedClassScan implements FunctionDiscovery {

    private final SelectingTransformer selecting;
    /** Guarded by this. */
    private final List<WeakReference<Class<?>>> pending = new ArrayList<>();

    LoadedClassScan(SelectingTransformer selecting) {
        this.selecting = selecting;
    }

    synchronized void add(Class<?> c) {
        pending.add(new WeakReference<>(c));
    }

    synchronized int pending() {
        return pending.size();
    }

    @Override
    public synchronized void discover(List<FilterRule> rules) {
        if (pending.isEmpty()) {
            return;
        }
        List<Glob> globs = new ArrayList<>();
        boolean all = rules == null || rules.isEmpty();
        if (!all) {
            for (FilterRule r : rules) {
                if (r.negated() || r.kind() == FilterRule.Kind.INDEX) {
                    continue; // selects nothing new: an index names a known function
                }
                if (r.functionGlob() == null) {
                    all = true; // mod:M alone: every function of a module
                    break;
                }
                globs.add(r.functionGlob());
            }
        }
        for (Iterator<WeakReference<Class<?>>> it = pending.iterator(); it.hasNext(); ) {
            Class<?> c = it.next().get();
            if (c == null) {
                it.remove();
                continue;
            }
            if (all || mayMatch(globs, c.getName() + '.')) {
                it.remove();
                scan(c);
            }
        }
    }

    private static boolean mayMatch(List<Glob> globs, String classAndDot) {
        for (Glob g : globs) {
            if (g.mayMatchPrefix(classAndDot)) {
                return true;
            }
        }
        return false;
    }

    /** Registers the class's functions from its class file; one its loader cannot give is left out. */
    private void scan(Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        String internal = c.getName().replace('.', '/');
        if (loader == null || selecting.instrumented(loader, internal) || selecting.scannedClass(loader, internal) != null) {
            return;
        }
        byte[] bytes;
        try (InputStream in = loader.getResourceAsStream(internal + ".class")) {
            if (in == null) {
                return;
            }
            bytes = in.readAllBytes();
        } catch (Throwable t) {
            return;
        }
        selecting.scan(c.getModule(), loader, internal, c.getProtectionDomain(), bytes);
    }
}
