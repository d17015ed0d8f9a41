package org.jftrace.ftrace;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import org.jftrace.filter.FunctionTable;

/**
 * Every function that has sites, numbered from 1 in creation order: the JVM's
 * {@code available_filter_functions} and the table of {@link DynFtrace} records.
 *
 * <p>Appends happen under {@link Ftrace}'s lock; readers (bootstraps, the slow path) read the
 * published array without locking. A class loaded again by the same loader (retransformation) gets
 * its old indexes back; the same class name in another loader is another function.
 */
public final class FtraceRecords implements FunctionTable {

    private static final Object BOOT_LOADER = new Object();

    private volatile DynFtrace[] recs = new DynFtrace[1024];
    private volatile int size;
    private final Map<Object, Map<String, Integer>> byLoader = new WeakHashMap<>();

    FtraceRecords() {
    }

    /** Returns the function's index, creating its record if it is new. Caller holds Ftrace's lock. */
    DynFtrace findOrAdd(ClassLoader loader, String name, String module, String linkKey,
                        boolean hasReceiver, boolean legacy, boolean[] created) {
        Map<String, Integer> names = byLoader.computeIfAbsent(loader == null ? BOOT_LOADER : loader,
                k -> new HashMap<>());
        Integer old = names.get(name);
        if (old != null) {
            created[0] = false;
            return recs[old];
        }
        int ip = size + 1;
        DynFtrace[] a = recs;
        if (ip >= a.length) {
            a = Arrays.copyOf(a, a.length * 2);
        }
        DynFtrace rec = new DynFtrace(ip, name, module, linkKey, hasReceiver, legacy);
        a[ip] = rec;
        recs = a;       // publish the array before the size that makes the slot readable
        size = ip;
        names.put(name, ip);
        created[0] = true;
        return rec;
    }

    /** @return the record for {@code ip}, or null if there is none. */
    public DynFtrace get(int ip) {
        DynFtrace[] a = recs;
        return ip > 0 && ip <= size && ip < a.length ? a[ip] : null;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String name(int index) {
        return get(index).name;
    }

    @Override
    public String module(int index) {
        return get(index).module;
    }

    /** The text of available_filter_functions: one name per line, in index order. */
    public String availableFilterFunctions() {
        int n = size;
        StringBuilder sb = new StringBuilder(n * 48);
        for (int i = 1; i <= n; i++) {
            sb.append(get(i).name).append('\n');
        }
        return sb.toString();
    }
}
