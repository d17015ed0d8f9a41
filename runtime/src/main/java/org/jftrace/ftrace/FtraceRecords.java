package org.jftrace.ftrace;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import org.jftrace.filter.FunctionTable;
import org.jftrace.filter.Latin1Name;

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
    /**
     * The records' names again, packed: Latin-1 bytes side by side, name i at {@code nameAt[i]} (offset
     * in the high int, length in the low; length -1 for a name that is not Latin-1). A filter is matched
     * against every name, and reading them as String objects scattered over the heap was a fifth of a
     * 10,000-function switch in a profile; this is one sequential scan. Costs one byte per character.
     */
    private volatile byte[] packed = new byte[64 * 1024];
    private volatile long[] nameAt = new long[1024];
    private int packedLength;
    private final Map<Object, Map<String, Integer>> byLoader = new WeakHashMap<>();

    FtraceRecords() {
    }

    /** Returns the function's index, creating its record if it is new. Caller holds Ftrace's lock. */
    DynFtrace findOrAdd(ClassLoader loader, String name, String module, String linkKey,
                        boolean hasReceiver, boolean legacy, boolean[] created) {
        Object l = loader == null ? BOOT_LOADER : loader;
        Map<String, Integer> byName = byLoader.get(l); // no lambda: this runs as classes load
        if (byName == null) {
            byName = new HashMap<>();
            byLoader.put(l, byName);
        }
        Integer old = byName.get(name);
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
        pack(ip, name);
        recs = a;       // publish the arrays before the size that makes the slot readable
        size = ip;
        byName.put(name, ip);
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

    /** Appends {@code name} to the packed names as function {@code ip}'s. Caller holds Ftrace's lock. */
    private void pack(int ip, String name) {
        long[] at = nameAt;
        if (ip >= at.length) {
            at = Arrays.copyOf(at, Math.max(ip + 1, at.length * 2));
        }
        int n = name.length();
        boolean latin1 = true;
        for (int i = 0; i < n && latin1; i++) {
            latin1 = name.charAt(i) <= 0xff;
        }
        if (latin1) {
            byte[] p = packed;
            int off = packedLength;
            if (off + n > p.length) {
                p = Arrays.copyOf(p, Math.max(off + n, p.length * 2));
            }
            for (int i = 0; i < n; i++) {
                p[off + i] = (byte) name.charAt(i);
            }
            packedLength = off + n;
            packed = p;
            at[ip] = ((long) off << 32) | n;
        } else {
            at[ip] = 0xffffffffL; // length -1: match the String
        }
        nameAt = at;
    }

    @Override
    public String name(int index) {
        return get(index).name;
    }

    @Override
    public CharSequence name(int index, Latin1Name scratch) {
        int n = size; // before the arrays: the size is published after them
        long[] at = nameAt;
        byte[] p = packed;
        if (index <= 0 || index > n) {
            throw new IndexOutOfBoundsException("no function " + index);
        }
        long a = at[index];
        int len = (int) a;
        return len < 0 ? get(index).name : scratch.set(p, (int) (a >>> 32), len);
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
