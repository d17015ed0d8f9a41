package org.jftrace.ftrace;

import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jftrace.filter.FilterHash;

/**
 * Binding and batched patching: {@code ftrace_replace_code} and {@code ftrace_modify_all_code} of
 * {@code kernel/trace/ftrace.c}. For each function whose ops may have changed it computes the
 * binding ({@code ftrace_find_unique_ops}: one ops, a direct call, or the list func), then patches the
 * sites whose binding changed as one batch: one guard invalidation per patch group, then a relink of
 * the group's sites. It also links the sites that their bootstraps create. Everything here runs under
 * {@link Ftrace#LOCK}.
 */
final class FtraceReplaceCode {

    private static final Map<String, PatchGroup> LINK_GROUPS = new HashMap<>();
    /** The static keys, by link key: whether any function of a package is traced. */
    private static final Map<String, StaticKey> KEYS = new HashMap<>();

    private static volatile long batches;
    private static volatile long lastBatchNanos;
    private static volatile int lastBatchSites;
    private static volatile int lastBatchGroups;
    private static volatile int lastBatchRelinked;

    private FtraceReplaceCode() {
    }

    static boolean traces(FtraceOps op, int ip) {
        return traces(op.filterHash, op.notraceHash, ip);
    }

    static boolean traces(FilterHash f, FilterHash nt, int ip) {
        if (!f.isEmpty() && !f.contains(ip)) {
            return false;
        }
        return nt.isEmpty() || !nt.contains(ip);
    }

    private static Binding computeBinding(DynFtrace rec, FtraceOps[] reg) {
        FtraceOps first = null;
        FtraceOps[] many = null;
        DirectTarget direct = null;
        FtraceOps ipmodify = null;
        int n = 0;
        for (FtraceOps op : reg) {
            if (!traces(op, rec.ip)) {
                continue;
            }
            // The registration checks keep these from happening for known functions; a function
            // loaded later may still be claimed twice: the first ops keeps it.
            if (op.hasFlag(FtraceOps.FL_IPMODIFY)) {
                if (ipmodify != null) {
                    FtraceLog.warn("function " + rec.name + " is busy: IPMODIFY ops '" + ipmodify.name
                            + "' modifies it; ops '" + op.name + "' is not attached");
                    continue;
                }
                ipmodify = op;
            }
            if (op.hasFlag(FtraceOps.FL_DIRECT)) {
                DirectTarget t = direct == null ? FtraceDirect.directTarget(op, rec) : null;
                if (t == null) {
                    if (direct != null) {
                        FtraceLog.warn("function " + rec.name + " is busy: direct ops '" + direct.op.name
                                + "' is attached to it; ops '" + op.name + "' is not");
                    }
                    continue;
                }
                direct = t;
            }
            if (n == 0) {
                first = op;
            } else {
                if (many == null) {
                    many = new FtraceOps[Math.min(reg.length, OpsListFunc.MAX_OPS_PER_FUNCTION)];
                    many[0] = first;
                }
                if (n >= many.length) {
                    FtraceLog.warn("more than " + OpsListFunc.MAX_OPS_PER_FUNCTION + " ops trace " + rec.name
                            + "; ops '" + op.name + "' is not called for it");
                    continue;
                }
                many[n] = op;
            }
            n++;
        }
        if (n == 0) {
            return OpsListFunc.NOP;
        }
        if (n == 1) {
            return direct != null ? direct : first;
        }
        FtraceOps[] ops = Arrays.copyOf(many, n);
        Binding old = rec.binding;
        if (old instanceof OpsListFunc && ((OpsListFunc) old).sameOps(ops, direct)) {
            return old;
        }
        return new OpsListFunc(ops, direct);
    }

    /** Binds function {@code rec}, just created, to the ops registered now ({@code reg}). */
    static void bindNew(DynFtrace rec, FtraceOps[] reg) {
        if (bind(rec, computeBinding(rec, reg))) {
            // Traced from its creation (an ops with an empty filter): its package's sites must
            // consult their entries from the first call on.
            StaticKey.update(List.of(rec.key));
        }
        updateFlags(rec);
    }

    private static void updateFlags(DynFtrace rec) {
        FtraceOps[] ops = rec.binding.ops();
        int fl = rec.flags & DynFtrace.FL_MODIFIED;
        for (FtraceOps op : ops) {
            if (op.hasFlag(FtraceOps.FL_SAVE_REGS)) {
                fl |= DynFtrace.FL_REGS;
            }
            if (op.hasFlag(FtraceOps.FL_IPMODIFY)) {
                fl |= DynFtrace.FL_IPMODIFY | DynFtrace.FL_MODIFIED;
            }
            if (op.hasFlag(FtraceOps.FL_DIRECT)) {
                fl |= DynFtrace.FL_DIRECT | DynFtrace.FL_MODIFIED;
            }
        }
        if (ops.length == 1) {
            fl |= DynFtrace.FL_CALL_OPS;
        }
        rec.flags = fl;
    }

    /** Recomputes every record's binding and patches the sites that changed, as one batch. */
    static void update() {
        int n = Ftrace.RECORDS.size();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i + 1;
        }
        update(all);
    }

    /**
     * As {@link #update()}, for only the functions {@code ips} (ascending): those one ops' hash change
     * can have moved. A filter write over 10,000 of 20,000 functions then visits 10,000 records, not
     * every record the JVM has, whose scattered loads were a tenth of the switch.
     */
    static void update(int[] ips) {
        FtraceOps[] reg = Ftrace.opsList;
        List<DynFtrace> changed = new ArrayList<>();
        LinkedHashSet<StaticKey> keys = new LinkedHashSet<>();
        for (int ip : ips) {
            DynFtrace rec = Ftrace.RECORDS.get(ip);
            if (rec == null) {
                continue;
            }
            Binding nb = computeBinding(rec, reg);
            if (rec.classKey != null && nb != OpsListFunc.NOP
                    && (!rec.planted || (Ftrace.needsArgs(nb) && !rec.entryArgs && !rec.legacy))) {
                Ftrace.PENDING_PLANTS.add(rec.classKey); // planted, or planted again with its arguments at the entry
            }
            if (nb != rec.binding) {
                if (bind(rec, nb)) {
                    keys.add(rec.key);
                }
                updateFlags(rec);
                if (rec.sites.length > 0 || rec.exitSites.length > 0) {
                    changed.add(rec);
                }
            }
        }
        if (!changed.isEmpty()) {
            patch(changed);
        }
        // After the entry sites: a key turned on makes its package's methods consult entries that are
        // already switched; one turned off (after its delay) skips entries all bound to the nop.
        if (!keys.isEmpty()) {
            StaticKey.update(keys);
        }
    }

    /**
     * Sets {@code rec}'s binding (a release: the slow path of a site switched after it reads it) and
     * counts it in its static key. @return whether the key's count crossed zero, so it must flip.
     */
    private static boolean bind(DynFtrace rec, Binding binding) {
        boolean was = rec.binding != OpsListFunc.NOP;
        boolean is = binding != OpsListFunc.NOP;
        rec.binding = binding;
        if (was == is) {
            return false;
        }
        StaticKey k = key(rec);
        k.enabled += is ? 1 : -1;
        return k.needsFlip();
    }

    /** The static key of {@code rec}'s link key. Caller holds LOCK. */
    static StaticKey key(DynFtrace rec) {
        StaticKey k = rec.key;
        if (k == null && rec.jdk) {
            k = rec.key = jdkKey(rec.linkKey);
        }
        if (k == null) {
            k = KEYS.get(rec.linkKey);
            if (k == null) {
                k = new StaticKey(rec.linkKey);
                KEYS.put(rec.linkKey, k);
            }
            rec.key = k;
        }
        return k;
    }

    /** JDK packages' keys by slot, and each package's slot (see {@link JdkKeys}). Guarded by LOCK. */
    private static final StaticKey[] JDK_KEYS = new StaticKey[JdkKeys.SLOTS];
    private static final Map<String, Integer> JDK_SLOTS = new HashMap<>();

    /** The key of JDK package {@code linkKey}: a slot of its own while there are free ones, else shared. */
    private static StaticKey jdkKey(String linkKey) {
        Integer slot = JDK_SLOTS.get(linkKey);
        if (slot == null) {
            slot = JDK_SLOTS.size() < JdkKeys.SLOTS ? JDK_SLOTS.size() : (linkKey.hashCode() & 0x7fffffff) % JdkKeys.SLOTS;
            JDK_SLOTS.put(linkKey, slot);
        }
        StaticKey k = JDK_KEYS[slot];
        if (k == null) {
            k = JDK_KEYS[slot] = new StaticKey("jdk key " + slot, JdkKeys.site(slot));
        }
        return k;
    }

    /** The slot of JDK function {@code rec}'s key, whose field its methods read. Caller holds LOCK. */
    static int jdkKeySlot(DynFtrace rec) {
        StaticKey k = key(rec);
        for (int i = 0; i < JDK_KEYS.length; i++) {
            if (JDK_KEYS[i] == k) {
                return i;
            }
        }
        throw new IllegalStateException(rec.name + " has no JDK key");
    }

    /** The key call site of function {@code ip}'s package: called by the key instruction's bootstrap. */
    static MutableCallSite linkKey(int ip) {
        DynFtrace rec = Ftrace.RECORDS.get(ip);
        if (rec == null) {
            throw new IllegalStateException("no function " + ip);
        }
        StaticKey k = rec.key; // set when the function was added: no map lookup, no JDK call
        if (k != null) {
            return k.site;
        }
        synchronized (Ftrace.LOCK) {
            return key(rec).site;
        }
    }

    /**
     * Switches the sites of {@code changed}: invalidate the guards of their groups at once (one
     * deoptimisation pass each, only for the code that depends on them), then relink. The changed
     * sites form one new group; the other members of an invalidated group form another, so that the
     * next batch over the same functions deoptimises only them.
     */
    private static void patch(List<DynFtrace> changed) {
        long t0 = System.nanoTime();
        List<DynFtrace> full = new ArrayList<>();
        int[] counts = switchBatch(changed, full);
        // 3. Sites whose chain was full are relinked whole (one pass each): rare, as the Compactor
        //    shortens long chains in the background long before they are full.
        for (DynFtrace rec : full) {
            relinkWhole(rec);
        }
        for (DynFtrace rec : changed) {
            Compactor.consider(rec);
        }
        batches++;
        lastBatchSites = counts[0];
        lastBatchGroups = counts[1];
        lastBatchRelinked = full.size();
        lastBatchNanos = System.nanoTime() - t0;
    }

    /**
     * Steps 1 and 2 of a batch: wires the new targets and invalidates the old groups. Records whose
     * chain is full are added to {@code full}. Caller holds LOCK, or owns every record and group
     * involved ({@link PatchWarmup}). @return {sites switched, groups invalidated}
     */
    static int[] switchBatch(List<DynFtrace> changed, List<DynFtrace> full) {
        LinkedHashSet<PatchGroup> groups = new LinkedHashSet<>();
        for (DynFtrace rec : changed) {
            if (rec.group != null) {
                groups.add(rec.group);
            }
        }
        // 1. Wire each site's next target into its chain's tail, behind the guard of a new group.
        PatchGroup batch = new PatchGroup(null);
        for (DynFtrace rec : changed) {
            switchTo(rec, batch, full);
        }
        int sites = changed.size();
        for (PatchGroup g : groups) {
            PatchGroup rest = null;
            // A group the batch moved whole has no bystanders: skip the walk over its members.
            for (int k = 0, n = g.movedOut < g.members.size() ? g.members.size() : 0; k < n; k++) {
                DynFtrace m = g.members.get(k);
                if (m.group == g) { // unchanged, but behind a guard about to fall: same target, new guard
                    if (rest == null) {
                        rest = new PatchGroup(g.linkKey);
                    }
                    switchTo(m, rest, full);
                    sites++;
                }
            }
            if (g.linkKey != null && LINK_GROUPS.get(g.linkKey) == g) {
                if (rest != null) {
                    LINK_GROUPS.put(g.linkKey, rest);
                } else {
                    LINK_GROUPS.remove(g.linkKey);
                }
            }
        }
        // 2. One invalidation per old group: its dependents are deoptimised in one pass, and every
        //    site falls through its dead guard to the target wired in step 1.
        PatchGroup.invalidateAll(groups.toArray(new PatchGroup[0]));
        return new int[] {sites, groups.size()};
    }

    /** Moves {@code rec} to {@code group} and wires its sites' new targets (see {@link ChainedSite}). */
    private static void switchTo(DynFtrace rec, PatchGroup group, List<DynFtrace> full) {
        PatchGroup old = rec.group;
        if (old != null && old != group) {
            old.movedOut++;
        }
        rec.group = group;
        group.members.add(rec);
        boolean whole = false;
        for (EntrySite site : rec.sites) {
            whole |= !site.extend(group, rec);
        }
        // Exit sites without a direct exit handler run the generic exit, unguarded, which is right for
        // every token; only direct exit handlers need them switched (see DirectTarget).
        DirectTarget d = rec.direct();
        boolean direct = d != null && d.h.hasExit() && !d.h.isGeneric();
        if (direct || rec.exitsDirect) {
            for (ExitSite site : rec.exitSites) {
                whole |= !site.extend(group, ExitSite.boundExit(rec, site), ExitSite.genericExit(rec, site));
            }
            rec.exitsDirect = direct;
        }
        if (whole) {
            full.add(rec);
        }
    }

    /** Relinks every site of {@code rec} with a fresh chain. Caller holds LOCK. */
    static void relinkWhole(DynFtrace rec) {
        PatchGroup g = rec.group;
        for (EntrySite site : rec.sites) {
            site.link(g, rec);
        }
        if (rec.exitsDirect) {
            for (ExitSite site : rec.exitSites) {
                site.link(g, ExitSite.boundExit(rec, site), ExitSite.genericExit(rec, site));
            }
        }
    }

    /** The group a newly linked site of {@code rec} joins. Caller holds LOCK. */
    private static PatchGroup linkGroup(DynFtrace rec) {
        PatchGroup g = rec.group;
        if (g == null) {
            g = LINK_GROUPS.get(rec.linkKey);
            if (g == null || g.isInvalidated()) {
                g = new PatchGroup(rec.linkKey);
                LINK_GROUPS.put(rec.linkKey, g);
            }
            rec.group = g;
            g.members.add(rec);
        }
        return g;
    }

    /** Registers and binds an exit or throw site of function {@code ip}: called by its bootstrap. */
    static ExitSite linkExit(int ip, MethodType type, boolean isThrow) {
        DynFtrace rec = Ftrace.RECORDS.get(ip);
        if (rec == null) {
            throw new IllegalStateException("no function " + ip);
        }
        ExitSite site = new ExitSite(type, ip, isThrow);
        synchronized (Ftrace.LOCK) {
            PatchGroup g = linkGroup(rec);
            DirectTarget d = rec.direct();
            rec.exitsDirect |= d != null && d.h.hasExit() && !d.h.isGeneric();
            if (rec.exitsDirect) {
                site.link(g, ExitSite.boundExit(rec, site), ExitSite.genericExit(rec, site));
            } else {
                site.linkPlain();
            }
            ExitSite[] s = Arrays.copyOf(rec.exitSites, rec.exitSites.length + 1);
            s[s.length - 1] = site;
            rec.exitSites = s;
        }
        return site;
    }

    /**
     * Creates and binds the entry site of function {@code ip} ahead of its bootstrap, when its key
     * instruction links: with its package's key off, the entry instruction does not run, and would
     * otherwise link at the first call after the key goes on, with 10,000 functions about 0.5 s of
     * first calls (docs/benchmarks.md, switching). Any failure leaves it to the bootstrap.
     */
    static void prelinkEntry(int ip, ClassLoader loader) {
        DynFtrace rec = Ftrace.RECORDS.get(ip);
        if (rec == null || rec.legacy || loader == null) { // null would mean the system loader here
            return;
        }
        StringBuilder d = new StringBuilder("(");
        for (String p : rec.entryParameterDescriptors()) {
            d.append(p);
        }
        MethodType type = rec.entryArgs
                ? MethodType.fromMethodDescriptorString(d.append(")Ljava/lang/Object;").toString(), loader)
                : MethodType.methodType(Object.class);
        EntrySite site = new EntrySite(type);
        synchronized (Ftrace.LOCK) {
            if (rec.prelinked != null || rec.sites.length > 0) {
                return; // linked already (a retransformed class, or a racing first call)
            }
            attachEntry(rec, site); // switched with the others from now on
            rec.prelinked = site;
        }
    }

    /** Creates and binds the entry site of function {@code ip}: called by the site's bootstrap. */
    static MutableCallSite linkEntry(int ip, MethodType type) {
        DynFtrace rec = Ftrace.RECORDS.get(ip);
        if (rec == null) {
            throw new IllegalStateException("no function " + ip);
        }
        synchronized (Ftrace.LOCK) {
            EntrySite pre = rec.prelinked;
            if (pre != null && pre.type().equals(type)) {
                rec.prelinked = null;
                return pre;
            }
        }
        EntrySite site = new EntrySite(type);
        synchronized (Ftrace.LOCK) {
            attachEntry(rec, site);
        }
        return site;
    }

    /** Binds a new entry site of {@code rec} and adds it to the record's sites. Caller holds LOCK. */
    private static void attachEntry(DynFtrace rec, EntrySite site) {
        PatchGroup g = linkGroup(rec);
        // No compiled code depends on a new site yet, so this setTarget is cheap.
        site.link(g, rec);
        EntrySite[] s = Arrays.copyOf(rec.sites, rec.sites.length + 1);
        s[s.length - 1] = site;
        rec.sites = s;
    }

    /**
     * synchronize_rcu_tasks: returns once every thread has either seen the changes made before the

    /** Statistics of the last patch batch. */
    static String patchStats() {
        return "batches=" + batches + " last_sites=" + lastBatchSites + " last_groups=" + lastBatchGroups
                + " last_relinked_whole=" + lastBatchRelinked + " last_ns=" + lastBatchNanos + " " + Compactor.stats();
    }

    static long lastBatchNanos() {
        return lastBatchNanos;
    }
}
