package org.jftrace.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jftrace.ftrace.DynFtrace;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;
import org.jftrace.ftrace.Regs;

/**
 * The function profiler: {@code function_profile_enabled} and {@code trace_stat/function}
 * (ftrace.c, {@code ftrace_profile_ops} with its graph part).
 *
 * <p>Counters are per thread ({@link ProfileTable}) and merged when {@code trace_stat/function} is read,
 * so the hot path touches no shared, contended counter. With the option {@code graph-time} on (the
 * default, as in the kernel) a function's time includes its children; off, only its own time.
 */
public final class FunctionProfiler {

    private final TraceInstance ti;
    private final List<ProfileTable> tables = new ArrayList<>();
    /** Counters of threads that have ended, folded in so their tables can be dropped. */
    private final Map<Integer, long[]> retiredCounts = new HashMap<>();
    private final Map<Integer, double[]> retiredSq = new HashMap<>();
    private FtraceOps ops;

    FunctionProfiler(TraceInstance ti) {
        this.ti = ti;
    }

    synchronized boolean enabled() {
        return ops != null;
    }

    /** echo 1 > function_profile_enabled: starts afresh (counters reset), as the kernel does. */
    synchronized void enable() {
        if (ops != null) {
            return;
        }
        reset();
        FtraceOps op = new FtraceOps(ti.opsName("function_profile"), FtraceOps.FL_RECURSION | FtraceOps.FL_PID,
                (ip, parentIp, o, regs) -> entry(o, regs),
                (ip, parentIp, o, regs) -> exit((int) ip, o, regs));
        Ftrace.setHashes(op, ti.filterRules(), ti.notraceRules());
        Ftrace.setPidFilter(op, ti.pidFilter());
        Ftrace.registerFtraceFunction(op);
        ops = op;
    }

    /**
     * Not under this object's monitor while it unregisters: unregistering waits for the threads inside
     * the callbacks, and a callback takes the monitor to add its thread's table.
     */
    void disable() {
        FtraceOps op;
        synchronized (this) {
            op = ops;
            ops = null;
        }
        if (op != null) {
            Ftrace.unregisterFtraceFunction(op);
        }
    }

    synchronized void filtersChanged() {
        if (ops != null) {
            Ftrace.setHashes(ops, ti.filterRules(), ti.notraceRules());
            Ftrace.setPidFilter(ops, ti.pidFilter());
        }
    }

    synchronized void reset() {
        tables.clear();
        retiredCounts.clear();
        retiredSq.clear();
    }

    private ProfileTable table(FtraceOps op, Regs regs) {
        Object t = regs.local(op);
        if (t == null) {
            ProfileTable pt = new ProfileTable(regs.thread());
            synchronized (this) {
                retireDeadThreads();
                tables.add(pt);
            }
            regs.setLocal(op, pt);
            return pt;
        }
        return (ProfileTable) t;
    }

    private void entry(FtraceOps op, Regs regs) {
        ProfileTable t = table(op, regs);
        int depth = ++t.depth; // the profiler's own depth: entries and exits pair exactly
        t.childTimeFor(depth)[depth] = 0;
        regs.setData(op, ti.clock.now());
    }

    private void exit(int ip, FtraceOps op, Regs regs) {
        ProfileTable t = table(op, regs);
        long d = ti.clock.now() - regs.data(op);
        int depth = t.depth--;
        long[] child = t.childTimeFor(depth);
        long self = d - child[depth];
        child[depth] = 0;
        if (depth > 0) {
            child[depth - 1] += d;
        }
        t.add(ip, ti.options.graphTime ? d : self);
    }

    /** Folds the tables of ended threads into the retired totals (caller holds the lock). */
    private void retireDeadThreads() {
        for (Iterator<ProfileTable> it = tables.iterator(); it.hasNext(); ) {
            ProfileTable t = it.next();
            if (!t.owner.isAlive()) { // happens-before the owner's last writes (JLS 17.4.4)
                fold(t.slots(), retiredCounts, retiredSq);
                it.remove();
            }
        }
    }

    private static void fold(ProfileTable.Slots s, Map<Integer, long[]> counts, Map<Integer, double[]> sq) {
        for (int i = 0; i < s.ips.length; i++) {
            int ip = s.ips[i];
            if (ip != 0 && s.hits[i] != 0) {
                long[] c = counts.computeIfAbsent(ip, k -> new long[2]);
                c[0] += s.hits[i];
                c[1] += s.time[i];
                sq.computeIfAbsent(ip, k -> new double[1])[0] += s.timeSq[i];
            }
        }
    }

    /** trace_stat/function: every thread's counters merged, sorted by total time. */
    synchronized String stat() {
        retireDeadThreads();
        Map<Integer, long[]> counts = new HashMap<>();
        Map<Integer, double[]> sq = new HashMap<>();
        retiredCounts.forEach((k, v) -> counts.put(k, v.clone()));
        retiredSq.forEach((k, v) -> sq.put(k, v.clone()));
        for (ProfileTable t : tables) {
            fold(t.slots(), counts, sq);
        }
        List<Integer> ips = new ArrayList<>(counts.keySet());
        ips.sort((a, b) -> {
            int c = Long.compare(counts.get(b)[1], counts.get(a)[1]);
            return c != 0 ? c : Long.compare(counts.get(b)[0], counts.get(a)[0]);
        });
        Map<Integer, String> names = names(ips);
        int width = 30;
        for (int ip : ips) {
            width = Math.max(width, names.get(ip).length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append("  ").append(pad("Function", width)).append("  ").append(padLeft("Hit", 10))
                .append("    Time            Avg             s^2\n");
        sb.append("  ").append(pad("--------", width)).append("  ").append(padLeft("---", 10))
                .append("    ----            ---             ---\n");
        for (int ip : ips) {
            long n = counts.get(ip)[0];
            long time = counts.get(ip)[1];
            double s2 = sq.get(ip)[0];
            long avg = n == 0 ? 0 : time / n;
            // The kernel's s^2: (n*sum(x^2) - sum(x)^2) / (n*(n-1)), divided by 1000 as it does.
            long var = n < 2 ? 0 : (long) Math.max(0, (n * s2 - (double) time * time) / ((double) n * (n - 1) * 1000));
            sb.append("  ").append(pad(names.get(ip), width)).append("  ").append(padLeft(Long.toString(n), 10)).append("    ");
            TraceOutput.duration(sb, time);
            sb.append("    ");
            TraceOutput.duration(sb, avg);
            sb.append("    ");
            TraceOutput.duration(sb, var);
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Each function's name without its descriptor, as the kernel shows a symbol; overloads listed
     * together would then read as one function twice, so where names collide they keep the descriptor.
     */
    private static Map<Integer, String> names(List<Integer> ips) {
        Map<Integer, String> full = new HashMap<>();
        Map<String, Integer> uses = new HashMap<>();
        for (int ip : ips) {
            DynFtrace rec = Ftrace.records().get(ip);
            String n = rec == null ? "0x" + Integer.toHexString(ip) : rec.name();
            full.put(ip, n);
            uses.merge(bare(n), 1, Integer::sum);
        }
        Map<Integer, String> shown = new HashMap<>();
        full.forEach((ip, n) -> shown.put(ip, uses.get(bare(n)) > 1 ? n : bare(n)));
        return shown;
    }

    private static String bare(String name) {
        int p = name.indexOf('(');
        return p < 0 ? name : name.substring(0, p);
    }

    private static String pad(String s, int w) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < w) {
            sb.append(' ');
        }
        return sb.toString();
    }

    private static String padLeft(String s, int w) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() + s.length() < w) {
            sb.append(' ');
        }
        return sb.append(s).toString();
    }
}
