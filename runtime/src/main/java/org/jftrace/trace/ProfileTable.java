package org.jftrace.trace;

import java.util.Arrays;

/**
 * One thread's function-profiler counters: hits, total time and the sum of squared times per function,
 * in an open-addressing table keyed by ip (a thread touches few of the JVM's functions, and a million
 * virtual threads must not each allocate an array over all of them).
 *
 * <p>Only the owner thread writes. Readers (merging at read time) see the table published with a
 * release store whenever it is replaced by a resize; counters are read racily, which is the
 * kernel's trade too (per-CPU counters read without stopping writers).
 */
final class ProfileTable {

    private static final int INITIAL = 16;

    /** Replaced whole on resize; published by the volatile write of {@link #slots}. */
    static final class Slots {
        final int[] ips;
        final long[] hits;
        final long[] time;
        final double[] timeSq;
        int used;

        Slots(int capacity) {
            ips = new int[capacity];
            hits = new long[capacity];
            time = new long[capacity];
            timeSq = new double[capacity];
        }
    }

    final Thread owner;
    private volatile Slots slots = new Slots(INITIAL);
    /** Per-depth sum of the children's time, for graph-time off (self time). */
    long[] childTime = new long[32];
    /** The owner's depth among the calls the profiler saw. */
    int depth;

    ProfileTable(Thread owner) {
        this.owner = owner;
    }

    Slots slots() {
        return slots;
    }

    /** Owner thread only: adds one call of {@code ns} to function {@code ip} (ip > 0). */
    void add(int ip, long ns) {
        Slots s = slots;
        int mask = s.ips.length - 1;
        int i = (ip * 0x9E3779B1) >>> 7 & mask;
        while (true) {
            int k = s.ips[i];
            if (k == ip) {
                break;
            }
            if (k == 0) {
                if ((s.used + 1) * 4 > s.ips.length * 3) {
                    s = grow(s);
                    mask = s.ips.length - 1;
                    i = (ip * 0x9E3779B1) >>> 7 & mask;
                    continue;
                }
                s.ips[i] = ip;
                s.used++;
                break;
            }
            i = (i + 1) & mask;
        }
        s.hits[i]++;
        s.time[i] += ns;
        s.timeSq[i] += (double) ns * ns;
    }

    private Slots grow(Slots old) {
        Slots n = new Slots(old.ips.length * 2);
        int mask = n.ips.length - 1;
        for (int j = 0; j < old.ips.length; j++) {
            int ip = old.ips[j];
            if (ip != 0) {
                int i = (ip * 0x9E3779B1) >>> 7 & mask;
                while (n.ips[i] != 0) {
                    i = (i + 1) & mask;
                }
                n.ips[i] = ip;
                n.hits[i] = old.hits[j];
                n.time[i] = old.time[j];
                n.timeSq[i] = old.timeSq[j];
                n.used++;
            }
        }
        slots = n; // release: a reader sees the copied counters
        return n;
    }

    long[] childTimeFor(int depth) {
        if (depth >= childTime.length) {
            childTime = Arrays.copyOf(childTime, Math.max(depth + 1, childTime.length * 2));
        }
        return childTime;
    }
}
