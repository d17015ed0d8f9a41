package org.jftrace.ftrace;

import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jftrace.filter.FilterException;
import org.jftrace.filter.FilterHash;
import org.jftrace.filter.FilterParser;
import org.jftrace.filter.FilterRule;

/**
 * The ftrace core of one JVM: the registered ops, the function records, and the batched patching of
 * their sites ({@code kernel/trace/ftrace.c}).
 *
 * <p>Every change (register, unregister, a filter write) recomputes, under {@link #LOCK}
 * ({@code ftrace_lock}), which ops trace each function, and patches the sites whose binding changed
 * as one batch: one guard invalidation per patch group, then a relink of the group's sites.
 */
public final class Ftrace {

    /** ftrace_lock: guards the ops list, the hashes of registered ops, records' sites and groups. */
    static final Object LOCK = new Object();

    private static final FtraceRecords RECORDS = new FtraceRecords();

    /** ftrace_ops_list: the registered ops, copy-on-write. */
    private static volatile FtraceOps[] opsList = new FtraceOps[0];

    private static final Map<String, PatchGroup> LINK_GROUPS = new HashMap<>();
    /** The static keys, by link key: whether any function of a package is traced. */
    private static final Map<String, StaticKey> KEYS = new HashMap<>();
    /** The class keys of classes to plant (again), until {@link #plantPending}. Guarded by LOCK. */
    private static final Set<Object> PENDING_PLANTS = new LinkedHashSet<>();
    private static volatile SitePlanter planter;
    private static volatile FunctionDiscovery discovery;
    private static final ArrayDeque<Integer> FREE_SLOTS = new ArrayDeque<>();
    private static int nextSlot;

    /** Told of every new function, under LOCK: hashes kept outside ops (e.g. set_graph_function). */
    private static final java.util.List<java.util.function.IntConsumer> FUNCTION_LISTENERS =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private static volatile long batches;
    private static volatile long lastBatchNanos;
    private static volatile int lastBatchSites;
    private static volatile int lastBatchGroups;
    private static volatile int lastBatchRelinked;

    private Ftrace() {
    }

    public static FtraceRecords records() {
        return RECORDS;
    }

    // ---------------------------------------------------------------------------------------------
    // Functions

    /**
     * Creates (or finds again, for a retransformed class) the record of a method about to get sites.
     * Called by the agent while it transforms a class. @return the function's ip.
     *
     * @param internalClassName e.g. {@code com/acme/Foo}
     * @param hasReceiver       whether the entry site passes the receiver first
     */
    public static int addFunction(ClassLoader loader, String internalClassName, String methodName, String desc,
                                  boolean hasReceiver, String module, boolean legacy) {
        return addFunction(loader, internalClassName, methodName, desc, hasReceiver, module, legacy, null, true);
    }

    /**
     * As {@link #addFunction(ClassLoader, String, String, String, boolean, String, boolean)}, for a method
     * that gets its sites now ({@code planted}) or only once a filter selects it. {@code classKey} is the
     * agent's handle on its class, which the {@link SitePlanter} is given to plant the class, or to
     * plant it again when a function planted with a bare entry comes to need its arguments. A function
     * bound at its creation is pending at once: see {@link #claimPlant}.
     */
    public static int addFunction(ClassLoader loader, String internalClassName, String methodName, String desc,
                                  boolean hasReceiver, String module, boolean legacy, Object classKey, boolean planted) {
        String cls = internalClassName.replace('/', '.');
        String name = cls + '.' + methodName + desc;
        int dot = cls.lastIndexOf('.');
        // A package's constructors and initialisers link apart from its methods: filters name methods
        // far more often than constructors, and each function of an invalidated group is relinked in
        // the batch even when its own binding did not change.
        String linkKey = (dot < 0 ? cls : cls.substring(0, dot)) + (methodName.startsWith("<") ? " <init>" : "");
        boolean[] created = new boolean[1];
        synchronized (LOCK) {
            DynFtrace rec = RECORDS.findOrAdd(loader, name, module, linkKey, hasReceiver, legacy, created);
            if (classKey != null) {
                rec.classKey = classKey;
            }
            rec.planted |= planted; // planted now, or before and retransformed since
            if (created[0]) {
                FtraceOps[] reg = opsList;
                for (FtraceOps op : reg) {
                    op.filterHash.onNewFunction(rec.ip, RECORDS);
                    op.notraceHash.onNewFunction(rec.ip, RECORDS);
                }
                for (java.util.function.IntConsumer l : FUNCTION_LISTENERS) {
                    l.accept(rec.ip);
                }
                if (bind(rec, computeBinding(rec, reg))) {
                    // Traced from its creation (an ops with an empty filter): its package's sites must
                    // consult their entries from the first call on.
                    StaticKey.update(List.of(rec.key));
                }
                updateFlags(rec);
                if (rec.classKey != null && rec.binding != OpsListFunc.NOP && !rec.planted) {
                    PENDING_PLANTS.add(rec.classKey);
                }
            }
            return rec.ip;
        }
    }

    /**
     * Calls {@code listener} with the ip of every function created from now on, under the core's lock
     * (so it sees functions in order and never misses one between its own update and the call).
     */
    public static void addFunctionListener(java.util.function.IntConsumer listener) {
        FUNCTION_LISTENERS.add(listener);
    }

    public static void removeFunctionListener(java.util.function.IntConsumer listener) {
        FUNCTION_LISTENERS.remove(listener);
    }

    /** Sets who registers the functions of classes loaded before the agent, when a filter may need them. */
    public static void setDiscovery(FunctionDiscovery d) {
        discovery = d;
    }

    /**
     * Makes the functions {@code rules} may select known (all, if null or empty) before they are matched.
     * Never called under the lock: discovery reads class files and registers functions.
     */
    public static void discover(List<FilterRule> rules) {
        FunctionDiscovery d = discovery;
        if (d != null) {
            d.discover(rules);
        }
    }

    /**
     * Whether the entry site of function {@code ip}, which the agent is planting, must pass the receiver
     * and the arguments: only for a function bound now to an ops that takes them (FL_SAVE_REGS) or a
     * direct call. Every other function gets the bare entry, {@code ()Object}, whose method handles
     * the JDK makes once for all of them; it is planted again if it comes to need them.
     */
    public static boolean entryArgs(int ip) {
        synchronized (LOCK) {
            DynFtrace rec = RECORDS.get(ip);
            if (rec == null) {
                return true;
            }
            rec.entryArgs = allEntryArgs || needsArgs(rec.binding);
            return rec.entryArgs;
        }
    }

    /**
     * Every entry site planted from now on passes its arguments: for code that plants classes without
     * an agent to plant them again (tests), and {@code -Djftrace.entryArgs=all}.
     */
    public static void setAllEntryArgs(boolean all) {
        allEntryArgs = all;
    }

    private static volatile boolean allEntryArgs = "all".equals(System.getProperty("jftrace.entryArgs"));

    /** Whether a binding calls something that takes the function's arguments. */
    static boolean needsArgs(Object binding) {
        if (binding instanceof DirectTarget) {
            return true;
        }
        if (binding instanceof FtraceOps) {
            return ((FtraceOps) binding).hasFlag(FtraceOps.FL_SAVE_REGS);
        }
        return binding instanceof OpsListFunc && (((OpsListFunc) binding).saveRegs || ((OpsListFunc) binding).direct != null);
    }

    /** Sets the agent's planter: who gives sites to the classes of functions bound without them. */
    public static void setPlanter(SitePlanter p) {
        planter = p;
    }

    /**
     * Whether the class {@code classKey} stands for must be planted now, because a function of it was
     * bound as it was created (its class is being loaded while a filter selects it); the request is
     * then the caller's, and is dropped from the pending ones.
     */
    public static boolean claimPlant(Object classKey) {
        synchronized (LOCK) {
            return PENDING_PLANTS.remove(classKey);
        }
    }

    /**
     * Plants the classes of the functions bound while without sites. Called after a write that may
     * bind functions, outside the lock: the planter retransforms classes, and the transformer that
     * runs then creates functions, which other threads loading classes do too.
     */
    private static void plantPending() {
        Set<Object> keys;
        synchronized (LOCK) {
            if (PENDING_PLANTS.isEmpty()) {
                return;
            }
            keys = new LinkedHashSet<>(PENDING_PLANTS);
            PENDING_PLANTS.clear();
        }
        SitePlanter p = planter;
        if (p != null) {
            p.plant(keys);
        }
    }

    /** Runs {@code action} under the core's lock: no function is created while it runs. */
    public static void withLock(Runnable action) {
        synchronized (LOCK) {
            action.run();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Ops

    /**
     * register_ftrace_function: from now on, the ops' callbacks are called for the functions its
     * hashes select. @throws IllegalStateException if it is already registered
     */
    public static void registerFtraceFunction(FtraceOps op) {
        discover(op.filterHash.rules());
        synchronized (LOCK) {
            if (op.state() != FtraceOps.STATE_UNREGISTERED) {
                throw new IllegalStateException("ops '" + op.name + "' is already registered (EBUSY)");
            }
            if (op.hasFlag(FtraceOps.FL_DIRECT)) {
                throw new IllegalArgumentException("ops '" + op.name + "' has FL_DIRECT: register it with registerFtraceDirect (EINVAL)");
            }
            // Rebuild membership over every function known now: functions appeared while it was away.
            FilterHash f = rebuild(op.filterHash);
            FilterHash nt = rebuild(op.notraceHash);
            checkExclusive(op, f, nt, null);
            op.filterHash = f;
            op.notraceHash = nt;
            addOps(op);
        }
        plantPending();
    }

    /** Adds a checked, unregistered ops to the list and patches its functions. Caller holds LOCK. */
    private static void addOps(FtraceOps op) {
        op.slot = FREE_SLOTS.isEmpty() ? nextSlot++ : FREE_SLOTS.poll();
        op.failures = 0;
        op.firstFailure = null;
        FtraceOps[] a = Arrays.copyOf(opsList, opsList.length + 1);
        a[a.length - 1] = op;
        opsList = a;
        op.setState(FtraceOps.STATE_ENABLED);
        update();
    }

    /**
     * unregister_ftrace_function: once this returns, the ops' callbacks are never called again, on any
     * thread, including threads that were inside the trampoline when it was called. It may take a
     * few milliseconds: it waits for them.
     */
    public static void unregisterFtraceFunction(FtraceOps op) {
        synchronized (LOCK) {
            int s = op.state();
            if (s != FtraceOps.STATE_ENABLED && s != FtraceOps.STATE_FAILED) {
                throw new IllegalStateException("ops '" + op.name + "' is not registered (EINVAL)");
            }
            op.setState(FtraceOps.STATE_REMOVING);
            FtraceOps[] cur = opsList;
            FtraceOps[] a = new FtraceOps[cur.length - 1];
            int j = 0;
            for (FtraceOps o : cur) {
                if (o != op) {
                    a[j++] = o;
                }
            }
            opsList = a;
            update();
        }
        synchronize();
        synchronized (LOCK) {
            ThreadCtx.forget(op);
            FREE_SLOTS.add(op.slot);
            op.slot = -1;
            op.setState(FtraceOps.STATE_UNREGISTERED);
        }
    }

    /**
     * register_ftrace_direct: attaches {@code call} to the functions the ops' filter selects (set it
     * first, as with {@code ftrace_set_filter_ip}; an empty filter is refused). A function traced by
     * this ops alone gets its entry site (and exit sites, for exit handlers) bound straight to the
     * handlers, called with the method's own arguments, unboxed; a function also traced by ordinary ops
     * goes through the list path, which calls the direct handlers too (boxed).
     *
     * <p>Nothing is registered if any check fails: another direct ops (or, for {@link FtraceOps#FL_IPMODIFY},
     * another IPMODIFY ops) already holds one of the functions ({@code IllegalStateException}, "EBUSY",
     * naming the function and the holder); a handler's type does not match a function's
     * ({@code IllegalArgumentException} naming both types).
     *
     * @param op an ops made with {@link FtraceOps#direct}
     */
    public static void registerFtraceDirect(FtraceOps op, DirectCall call) {
        java.util.Objects.requireNonNull(call, "call");
        if (!op.filterHash.isEmpty()) { // an empty one is refused below
            discover(op.filterHash.rules());
        }
        synchronized (LOCK) {
            if (!op.hasFlag(FtraceOps.FL_DIRECT) || op.func != null || op.retfunc != null) {
                throw new IllegalArgumentException("ops '" + op.name + "' is not a direct ops: make it with FtraceOps.direct (EINVAL)");
            }
            if (op.state() != FtraceOps.STATE_UNREGISTERED) {
                throw new IllegalStateException("ops '" + op.name + "' is already registered (EINVAL)");
            }
            if (call.patches() && !op.hasFlag(FtraceOps.FL_IPMODIFY)) {
                throw new IllegalArgumentException("direct ops '" + op.name + "' replaces functions but lacks FL_IPMODIFY (EINVAL)");
            }
            FilterHash f = rebuild(op.filterHash);
            FilterHash nt = rebuild(op.notraceHash);
            checkExclusive(op, f, nt, call);
            op.filterHash = f;
            op.notraceHash = nt;
            op.directTargets.clear();
            op.directCall = call;
            addOps(op);
        }
        plantPending();
    }

    /** register_ftrace_direct with an fentry handle alone: {@code DirectCall.entry(fentry)}. */
    public static void registerFtraceDirect(FtraceOps op, java.lang.invoke.MethodHandle fentry) {
        registerFtraceDirect(op, DirectCall.entry(fentry));
    }

    /**
     * modify_ftrace_direct: swaps the handlers of a registered direct ops. No call misses both: the new
     * targets of every function are published in one batch (one guard invalidation, then a
     * relink), and each call reaching a site runs either the old handler (the site's old target, still
     * valid) or the new one (the slow path and the relinked target both read the new binding, written
     * before the invalidation). A call whose entry ran the old handlers gets the old exit handlers.
     * On a type mismatch nothing changes.
     */
    public static void modifyFtraceDirect(FtraceOps op, DirectCall call) {
        java.util.Objects.requireNonNull(call, "call");
        synchronized (LOCK) {
            if (!op.hasFlag(FtraceOps.FL_DIRECT) || op.directCall == null || op.state() == FtraceOps.STATE_UNREGISTERED) {
                throw new IllegalStateException("ops '" + op.name + "' is not a registered direct ops (EINVAL)");
            }
            if (call.patches() && !op.hasFlag(FtraceOps.FL_IPMODIFY)) {
                throw new IllegalArgumentException("direct ops '" + op.name + "' replaces functions but lacks FL_IPMODIFY (EINVAL)");
            }
            checkExclusive(op, op.filterHash, op.notraceHash, call);
            op.directTargets.clear();
            op.directCall = call;
            update();
        }
        plantPending();
    }

    /** unregister_ftrace_direct: detaches the direct ops; the functions' original behaviour is back. */
    public static void unregisterFtraceDirect(FtraceOps op) {
        if (!op.hasFlag(FtraceOps.FL_DIRECT)) {
            throw new IllegalArgumentException("ops '" + op.name + "' is not a direct ops (EINVAL)");
        }
        unregisterFtraceFunction(op);
        synchronized (LOCK) {
            op.directCall = null;
            op.directTargets.clear();
        }
    }

    /**
     * The kernel's rules, checked before anything changes: at most one direct ops and one IPMODIFY
     * ops per function, a direct ops needs a non-empty filter and handlers of the right types.
     */
    private static void checkExclusive(FtraceOps op, FilterHash filter, FilterHash notrace, DirectCall call) {
        boolean direct = op.hasFlag(FtraceOps.FL_DIRECT);
        boolean ipmodify = op.hasFlag(FtraceOps.FL_IPMODIFY);
        if (!direct && !ipmodify) {
            return;
        }
        if (direct && filter.isEmpty()) {
            throw new IllegalArgumentException("direct ops '" + op.name + "' has an empty filter: set the functions it attaches to first (EINVAL)");
        }
        FtraceOps[] reg = opsList;
        int n = RECORDS.size();
        for (int ip = 1; ip <= n; ip++) {
            if (!traces(filter, notrace, ip)) {
                continue;
            }
            DynFtrace rec = RECORDS.get(ip);
            for (FtraceOps other : reg) {
                if (other == op || !traces(other, ip)) {
                    continue;
                }
                if (direct && other.hasFlag(FtraceOps.FL_DIRECT)) {
                    throw new IllegalStateException("function " + rec.name + " is busy: direct ops '" + other.name
                            + "' is attached to it; ops '" + op.name + "' cannot be (EBUSY)");
                }
                if (ipmodify && other.hasFlag(FtraceOps.FL_IPMODIFY)) {
                    throw new IllegalStateException("function " + rec.name + " is busy: IPMODIFY ops '" + other.name
                            + "' modifies it; ops '" + op.name + "' cannot (EBUSY)");
                }
            }
            DirectCall c = call != null ? call : op.directCall;
            if (direct && c != null) {
                String err = DirectTarget.check(rec, c.handlersFor(rec.name), op);
                if (err != null) {
                    throw new IllegalArgumentException(err + " (EINVAL)");
                }
            }
        }
    }

    /** The direct target of {@code op} for {@code rec}, or null when it cannot serve it (warned once). */
    private static DirectTarget directTarget(FtraceOps op, DynFtrace rec) {
        Integer key = rec.ip;
        if (op.directTargets.containsKey(key)) {
            return op.directTargets.get(key);
        }
        DirectCall call = op.directCall;
        DirectTarget t = null;
        if (call != null) {
            DirectCall.Handlers h = call.handlersFor(rec.name);
            String err = DirectTarget.check(rec, h, op);
            if (err != null) {
                FtraceLog.warn(err + "; not attached to " + rec.name);
            } else {
                t = new DirectTarget(op, rec, h, call.targetName(rec.name));
            }
        }
        op.directTargets.put(key, t);
        return t;
    }

    /**
     * ftrace_set_filter: sets ({@code reset}) or extends the ops' filter hash with ftrace's syntax.
     * On any error nothing changes. @throws FilterException naming the bad token
     */
    public static void setFilter(FtraceOps op, String text, boolean reset) {
        List<FilterRule> rules = parseHashRules(text, "set_ftrace_filter");
        if (!rules.isEmpty()) {
            discover(rules);
        } else if (reset && op.state() == FtraceOps.STATE_ENABLED) {
            discover(null); // an emptied filter selects every function
        }
        synchronized (LOCK) {
            FilterHash f = op.filterHash.with(rules, reset, RECORDS);
            if (op.state() == FtraceOps.STATE_ENABLED) {
                checkExclusive(op, f, op.notraceHash, null);
            }
            FilterHash old = op.filterHash;
            op.filterHash = f;
            if (op.state() == FtraceOps.STATE_ENABLED) {
                // An empty filter means all functions, not none: then the bitmaps do not say what changed.
                if (old.isEmpty() || f.isEmpty()) {
                    update();
                } else {
                    update(FilterHash.differences(old, f));
                }
            }
        }
        plantPending();
    }

    /** ftrace_set_notrace: as {@link #setFilter}, for the notrace hash (which wins over the filter). */
    public static void setNotrace(FtraceOps op, String text, boolean reset) {
        List<FilterRule> rules = parseHashRules(text, "set_ftrace_notrace");
        synchronized (LOCK) {
            FilterHash nt = op.notraceHash.with(rules, reset, RECORDS);
            if (op.state() == FtraceOps.STATE_ENABLED) {
                checkExclusive(op, op.filterHash, nt, null);
            }
            FilterHash old = op.notraceHash;
            op.notraceHash = nt;
            if (op.state() == FtraceOps.STATE_ENABLED) {
                update(FilterHash.differences(old, nt)); // an empty notrace hash excludes none: its bitmap says so
            }
        }
        plantPending();
    }

    /** Sets both hashes at once, as one batch: used when a tracer starts with its filters. */
    public static void setHashes(FtraceOps op, List<FilterRule> filter, List<FilterRule> notrace) {
        if (op.state() == FtraceOps.STATE_ENABLED) { // else its registration discovers them
            discover(filter);
        }
        synchronized (LOCK) {
            FilterHash f = FilterHash.empty().with(filter, true, RECORDS);
            FilterHash nt = FilterHash.empty().with(notrace, true, RECORDS);
            if (op.state() == FtraceOps.STATE_ENABLED) {
                checkExclusive(op, f, nt, null);
            }
            op.filterHash = f;
            op.notraceHash = nt;
            if (op.state() == FtraceOps.STATE_ENABLED) {
                update();
            }
        }
        plantPending();
    }

    /** The threads an ops with {@link FtraceOps#FL_PID} traces; null means all threads. */
    public static void setPidFilter(FtraceOps op, PidFilter pids) {
        op.pidFilter = pids;
    }

    /**
     * How many known functions a filter and notrace text would select (an empty filter selects every
     * function); function commands in them select nothing. @throws FilterException naming a bad token
     */
    public static int countSelected(String filter, String notrace) {
        discover(functionRules(filter));
        synchronized (LOCK) {
            FilterHash f = FilterHash.empty().with(functionRules(filter), true, RECORDS);
            FilterHash nt = FilterHash.empty().with(functionRules(notrace), true, RECORDS);
            int n = 0;
            for (int ip = 1, size = RECORDS.size(); ip <= size; ip++) {
                if (traces(f, nt, ip)) {
                    n++;
                }
            }
            return n;
        }
    }

    private static List<FilterRule> functionRules(String text) {
        List<FilterRule> rules = new ArrayList<>(FilterParser.parse(text, RECORDS));
        rules.removeIf(r -> r.kind() == FilterRule.Kind.COMMAND);
        return rules;
    }

    private static List<FilterRule> parseHashRules(String text, String file) {
        List<FilterRule> rules = FilterParser.parse(text, RECORDS);
        for (FilterRule r : rules) {
            if (r.kind() == FilterRule.Kind.COMMAND) {
                throw new FilterException(file + ": '" + r + "' is a command, not a function filter", r.toString());
            }
        }
        return rules;
    }

    private static FilterHash rebuild(FilterHash h) {
        return h.isEmpty() ? h : FilterHash.empty().with(h.rules(), true, RECORDS);
    }

    // ---------------------------------------------------------------------------------------------
    // Binding (ftrace_rec_count / ftrace_find_unique_ops) and batched patching (ftrace_replace_code)

    static boolean traces(FtraceOps op, int ip) {
        return traces(op.filterHash, op.notraceHash, ip);
    }

    private static boolean traces(FilterHash f, FilterHash nt, int ip) {
        if (!f.isEmpty() && !f.contains(ip)) {
            return false;
        }
        return nt.isEmpty() || !nt.contains(ip);
    }

    private static Object computeBinding(DynFtrace rec, FtraceOps[] reg) {
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
                DirectTarget t = direct == null ? directTarget(op, rec) : null;
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
        Object old = rec.binding;
        if (old instanceof OpsListFunc && ((OpsListFunc) old).sameOps(ops, direct)) {
            return old;
        }
        return new OpsListFunc(ops, direct);
    }

    private static void updateFlags(DynFtrace rec) {
        Object b = rec.binding;
        FtraceOps[] ops = b instanceof FtraceOps ? new FtraceOps[] {(FtraceOps) b}
                : b instanceof DirectTarget ? new FtraceOps[] {((DirectTarget) b).op} : ((OpsListFunc) b).ops;
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
    private static void update() {
        int n = RECORDS.size();
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
    private static void update(int[] ips) {
        FtraceOps[] reg = opsList;
        List<DynFtrace> changed = new ArrayList<>();
        LinkedHashSet<StaticKey> keys = new LinkedHashSet<>();
        for (int ip : ips) {
            DynFtrace rec = RECORDS.get(ip);
            if (rec == null) {
                continue;
            }
            Object nb = computeBinding(rec, reg);
            if (rec.classKey != null && nb != OpsListFunc.NOP
                    && (!rec.planted || (needsArgs(nb) && !rec.entryArgs && !rec.legacy))) {
                PENDING_PLANTS.add(rec.classKey); // planted, or planted again with its arguments at the entry
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
    private static boolean bind(DynFtrace rec, Object binding) {
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
    private static StaticKey key(DynFtrace rec) {
        StaticKey k = rec.key;
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

    /** The key call site of function {@code ip}'s package: called by the key instruction's bootstrap. */
    static MutableCallSite linkKey(int ip) {
        DynFtrace rec = RECORDS.get(ip);
        if (rec == null) {
            throw new IllegalStateException("no function " + ip);
        }
        synchronized (LOCK) {
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
        for (Trampoline.EntrySite site : rec.sites) {
            whole |= !site.extend(group, rec);
        }
        // Exit sites without a direct exit handler run the generic exit, unguarded, which is right for
        // every token; only direct exit handlers need them switched (see DirectTarget).
        DirectTarget d = rec.direct();
        boolean direct = d != null && d.h.hasExit() && !d.h.isGeneric();
        if (direct || rec.exitsDirect) {
            for (Trampoline.ExitSite site : rec.exitSites) {
                whole |= !site.extend(group, Trampoline.boundExit(rec, site), Trampoline.genericExit(rec, site));
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
        for (Trampoline.EntrySite site : rec.sites) {
            site.link(g, rec);
        }
        if (rec.exitsDirect) {
            for (Trampoline.ExitSite site : rec.exitSites) {
                site.link(g, Trampoline.boundExit(rec, site), Trampoline.genericExit(rec, site));
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
    static Trampoline.ExitSite linkExit(int ip, MethodType type, boolean isThrow) {
        DynFtrace rec = RECORDS.get(ip);
        if (rec == null) {
            throw new IllegalStateException("no function " + ip);
        }
        Trampoline.ExitSite site = new Trampoline.ExitSite(type, ip, isThrow);
        synchronized (LOCK) {
            PatchGroup g = linkGroup(rec);
            DirectTarget d = rec.direct();
            rec.exitsDirect |= d != null && d.h.hasExit() && !d.h.isGeneric();
            if (rec.exitsDirect) {
                site.link(g, Trampoline.boundExit(rec, site), Trampoline.genericExit(rec, site));
            } else {
                site.linkPlain();
            }
            Trampoline.ExitSite[] s = Arrays.copyOf(rec.exitSites, rec.exitSites.length + 1);
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
        DynFtrace rec = RECORDS.get(ip);
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
        Trampoline.EntrySite site = new Trampoline.EntrySite(type);
        synchronized (LOCK) {
            if (rec.prelinked != null || rec.sites.length > 0) {
                return; // linked already (a retransformed class, or a racing first call)
            }
            attachEntry(rec, site); // switched with the others from now on
            rec.prelinked = site;
        }
    }

    /** Creates and binds the entry site of function {@code ip}: called by the site's bootstrap. */
    static MutableCallSite linkEntry(int ip, MethodType type) {
        DynFtrace rec = RECORDS.get(ip);
        if (rec == null) {
            throw new IllegalStateException("no function " + ip);
        }
        synchronized (LOCK) {
            Trampoline.EntrySite pre = rec.prelinked;
            if (pre != null && pre.type().equals(type)) {
                rec.prelinked = null;
                return pre;
            }
        }
        Trampoline.EntrySite site = new Trampoline.EntrySite(type);
        synchronized (LOCK) {
            attachEntry(rec, site);
        }
        return site;
    }

    /** Binds a new entry site of {@code rec} and adds it to the record's sites. Caller holds LOCK. */
    private static void attachEntry(DynFtrace rec, Trampoline.EntrySite site) {
        PatchGroup g = linkGroup(rec);
        // No compiled code depends on a new site yet, so this setTarget is cheap.
        site.link(g, rec);
        Trampoline.EntrySite[] s = Arrays.copyOf(rec.sites, rec.sites.length + 1);
        s[s.length - 1] = site;
        rec.sites = s;
    }

    /**
     * synchronize_rcu_tasks: returns once every thread has either seen the changes made before the
     * call or left the trampoline it was in. The trampoline marks itself inside with plain-cost
     * stores and no fence; a global safepoint (here, a thread dump) serialises every thread, after
     * which each is either visibly inside (and we wait for it) or will see the new state.
     */
    static void synchronize() {
        Thread.getAllStackTraces();
        ThreadCtx.awaitTrampolineExits();
    }

    // ---------------------------------------------------------------------------------------------
    // Views

    /** The text of enabled_functions, in ftrace's format. */
    public static String enabledFunctions() {
        StringBuilder sb = new StringBuilder();
        synchronized (LOCK) {
            int n = RECORDS.size();
            for (int ip = 1; ip <= n; ip++) {
                DynFtrace rec = RECORDS.get(ip);
                int count = rec.count();
                if (count == 0) {
                    continue;
                }
                int fl = rec.flags;
                sb.append(rec.name).append(" (").append(count).append(')')
                        .append((fl & DynFtrace.FL_REGS) != 0 ? " R" : "  ")
                        .append((fl & DynFtrace.FL_IPMODIFY) != 0 ? " I" : "  ")
                        .append((fl & DynFtrace.FL_DIRECT) != 0 ? " D" : "  ")
                        .append((fl & DynFtrace.FL_CALL_OPS) != 0 ? " O" : "  ")
                        .append((fl & DynFtrace.FL_MODIFIED) != 0 ? " M " : "   ");
                Object b = rec.binding;
                if (b instanceof FtraceOps) {
                    sb.append("\tops: ").append(((FtraceOps) b).name);
                } else if (b instanceof DirectTarget) {
                    sb.append("\tops: ").append(((DirectTarget) b).op.name);
                } else {
                    sb.append("\tops: ftrace_ops_list_func {");
                    FtraceOps[] ops = ((OpsListFunc) b).ops;
                    for (int i = 0; i < ops.length; i++) {
                        sb.append(i == 0 ? "" : ", ").append(ops[i].name);
                    }
                    sb.append('}');
                }
                DirectTarget d = rec.direct();
                if (d != null) {
                    sb.append("\n\tdirect-->").append(d.targetName);
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** @return the registered ops, in registration order. */
    public static List<FtraceOps> registeredOps() {
        return List.of(opsList);
    }

    /** Statistics of the last patch batch, for tests, benchmarks and the control files. */
    public static String patchStats() {
        return "batches=" + batches + " last_sites=" + lastBatchSites + " last_groups=" + lastBatchGroups
                + " last_relinked_whole=" + lastBatchRelinked + " last_ns=" + lastBatchNanos + " " + Compactor.stats();
    }

    /**
     * The static keys: how many are on, how many wait for their delay to go off, and flips so far. Apart
     * from {@link #patchStats}, which a deferred flip would otherwise change at any time.
     */
    public static String keyStats() {
        synchronized (LOCK) {
            return StaticKey.stats();
        }
    }

    public static long lastBatchNanos() {
        return lastBatchNanos;
    }

}
