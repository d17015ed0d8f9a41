package org.jftrace.ftrace;

import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import org.jftrace.filter.FilterHash;
import org.jftrace.filter.FilterParser;
import org.jftrace.filter.FilterRule;
import org.jftrace.filter.FunctionTable;

/**
 * Runs the batch-patching code on throwaway sites once, in the background, so that the user's first
 * switch finds it compiled.
 *
 * <p>Why: a switch builds a few method handles per site ({@code insertArguments}, a group
 * guard, a fresh tail call site), and on a fresh JVM that code, the JDK's as much as ours, runs in
 * the interpreter and spins its LambdaForms on first use. The first switch of 10,000 functions took
 * 66-151 ms where later ones took 25-36 ms (docs/benchmarks.md). The kernel has no such cost; its
 * patching code is compiled ahead of time.
 *
 * <p>The records, sites and groups here are private: they are in no table, no filter sees them, and
 * no compiled code depends on them, so the work needs no lock and changes nothing a user can see
 * (not even {@link Ftrace#patchStats}). Its cost is a background thread's work at startup, reported by
 * {@link #lastNanos()} (wall time).
 */
public final class PatchWarmup {

    /** The entry-site shapes exercised: receivers and arguments of the common basic types. */
    private static final MethodType[] SHAPES;

    static {
        Class<?>[][] params = {
            {}, {Object.class}, {int.class}, {long.class}, {Object.class, Object.class}, {Object.class, int.class},
            {Object.class, long.class}, {int.class, int.class}, {Object.class, Object.class, Object.class},
            {Object.class, int.class, int.class}, {Object.class, Object.class, int.class}, {double.class},
            {Object.class, double.class}, {Object.class, float.class}, {Object.class, Object.class, Object.class, Object.class},
        };
        SHAPES = new MethodType[params.length];
        for (int i = 0; i < params.length; i++) {
            SHAPES[i] = MethodType.methodType(Object.class, params[i]);
        }
    }

    private static volatile long lastNanos = -1;

    private PatchWarmup() {
    }

    /**
     * Starts the warm-up on a daemon thread of minimum priority, after {@code delayMillis}: a program
     * that ends within that time never pays for it. {@code sites <= 0} does nothing.
     */
    public static void start(int sites, int rounds, long delayMillis) {
        if (sites <= 0 || rounds <= 0) {
            return;
        }
        Thread t = new Thread(new Runnable() { // not a lambda: started at startup (see ControlServer.start)
            @Override
            public void run() {
                JdkSites.markTracerThread(); // the tracer's own: the JDK methods it calls are not traced
                try {
                    Thread.sleep(delayMillis);
                    PatchWarmup.run(sites, rounds);
                } catch (InterruptedException e) {
                    return;
                } catch (Throwable e) { // a warm-up must never disturb anything
                    FtraceLog.warn("patch warm-up failed: " + e);
                }
            }
        }, "jftrace-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Wall time of the last warm-up in nanoseconds, or -1 if none ran to its end. */
    public static long lastNanos() {
        return lastNanos;
    }

    /**
     * Links {@code sites} private entry sites and switches them all between no ops, one ops and a
     * list of two, {@code rounds} times, through the same batch code as a filter write.
     */
    static void run(int sites, int rounds) {
        long t0 = System.nanoTime();
        FtraceFunc nothing = (ip, parentIp, op, regs) -> { };
        FtraceOps one = new FtraceOps("jftrace-warmup", 0, nothing);
        FtraceOps two = new FtraceOps("jftrace-warmup-2", 0, nothing);
        OpsListFunc both = new OpsListFunc(new FtraceOps[] {one, two});
        List<DynFtrace> recs = new ArrayList<>(sites);
        PatchGroup linked = new PatchGroup(null);
        for (int i = 0; i < sites; i++) {
            MethodType type = SHAPES[i % SHAPES.length];
            DynFtrace rec = new DynFtrace(0, "jftrace.warmup", null, null, type.parameterCount() > 0, false);
            EntrySite site = new EntrySite(type);
            rec.group = linked;
            linked.members.add(rec);
            site.link(linked, rec);
            rec.sites = new EntrySite[] {site};
            recs.add(rec);
        }
        List<DynFtrace> full = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Binding binding = r % 2 == 1 ? OpsListFunc.NOP : r % 4 == 0 ? one : both;
            for (DynFtrace rec : recs) {
                rec.binding = binding;
            }
            full.clear();
            FtraceReplaceCode.switchBatch(recs, full);
            for (DynFtrace rec : full) { // chains full after MAX_HOPS rounds: relinked like the Compactor does
                for (EntrySite site : rec.sites) {
                    site.link(rec.group, rec);
                }
            }
        }
        filters(sites, rounds);
        lastNanos = System.nanoTime() - t0;
    }

    /** Filter writes (parse, then match every function) over a private table of {@code n} names. */
    static void filters(int n, int rounds) {
        String[] names = new String[n];
        int[] offsets = new int[n + 1];
        for (int i = 0; i < n; i++) {
            names[i] = "jftrace.warmup.pkg" + (i % 7) + ".C" + i + (i % 3 == 0 ? ".<init>()V" : ".applyAsInt(II)I");
            offsets[i + 1] = offsets[i] + names[i].length();
        }
        byte[] packed = String.join("", names).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        FunctionTable table = new FunctionTable() { // packed, as FtraceRecords: the scan a filter write runs
            @Override
            public CharSequence name(int index, org.jftrace.filter.Latin1Name scratch) {
                return scratch.set(packed, offsets[index - 1], offsets[index] - offsets[index - 1]);
            }

            @Override
            public int size() {
                return n;
            }

            @Override
            public String name(int index) {
                return names[index - 1];
            }

            @Override
            public String module(int index) {
                return "";
            }
        };
        String[] texts = {"jftrace.warmup.pkg1.C*.applyAsInt", "*.applyAsInt !jftrace.warmup.pkg2.*", "jftrace.warmup.*",
            "*C1*"};
        int matched = 0;
        FilterHash last = FilterHash.empty();
        for (int r = 0; r < rounds; r++) {
            for (String text : texts) {
                List<FilterRule> rules = FilterParser.parse(text, table);
                FilterHash h = FilterHash.empty().with(rules, true, table);
                matched += h.count() + FilterHash.differences(last, h).length;
                last = h;
            }
        }
        if (matched == 0) {
            throw new IllegalStateException("the filter warm-up matched nothing");
        }
    }
}
