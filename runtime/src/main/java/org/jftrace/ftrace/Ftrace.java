package org.jftrace.ftrace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jftrace.filter.FilterException;
import org.jftrace.filter.FilterHash;
import org.jftrace.filter.FilterParser;
import org.jftrace.filter.FilterRule;

/**
 * The ftrace core of one JVM, and its public face ({@code kernel/trace/ftrace.c}): the registered
 * ops, the function records, and the filter hashes.
 *
 * <p>Every change (register, unregister, a filter write) recomputes, under {@link #LOCK}
 * ({@code ftrace_lock}), which ops trace each function, and patches the sites whose binding changed
 * as one batch ({@link FtraceReplaceCode}). Direct calls are {@link FtraceDirect}'s; an unregister
 * waits for its {@link GracePeriod}.
 */
public final class Ftrace {

    /** ftrace_lock: guards the ops list, the hashes of registered ops, records' sites and groups. */
    static final Object LOCK = new Object();

    static final FtraceRecords RECORDS = new FtraceRecords();

    /** ftrace_ops_list: the registered ops, copy-on-write. */
    static volatile FtraceOps[] opsList = new FtraceOps[0];

    /** The class keys of classes to plant (again), until {@link #plantPending}. Guarded by LOCK. */
    static final Set<Object> PENDING_PLANTS = new LinkedHashSet<>();
    private static volatile SitePlanter planter;
    private static volatile FunctionDiscovery discovery;
    private static final ArrayDeque<Integer> FREE_SLOTS = new ArrayDeque<>();
    private static int nextSlot;

    /** Told of every new function, under LOCK: hashes kept outside ops (e.g. set_graph_function). */
    private static final java.util.List<java.util.function.IntConsumer> FUNCTION_LISTENERS =
            new java.util.concurrent.CopyOnWriteArrayList<>();


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
        return addFunction(loader, internalClassName, methodName, desc, hasReceiver, module, legacy, classKey, planted,
                false);
    }

    /**
     * As above, for a JDK method ({@code jdk}): its sites are static calls ({@link JdkSites}) behind a
     * key of {@link JdkKeys} ({@link #jdkKeySlot}).
     */
    public static int addFunction(ClassLoader loader, String internalClassName, String methodName, String desc,
                                  boolean hasReceiver, String module, boolean legacy, Object classKey, boolean planted,
                                  boolean jdk) {
        String cls = internalClassName.replace('/', '.');
        String name = cls + '.' + methodName + desc;
        int dot = cls.lastIndexOf('.');
        // A package's constructors and initialisers link apart from its methods: filters name methods
        // far more often than constructors, and each function of an invalidated group is relinked in
        // the batch even when its own binding did not change.
        String linkKey = (dot < 0 ? cls : cls.substring(0, dot)) + (methodName.startsWith("<") ? " <init>" : "");
        boolean[] created = new boolean[1];
        synchronized (LOCK) {
            DynFtrace rec = RECORDS.findOrAdd(loader, name, module, linkKey, hasReceiver, legacy || jdk, created);
            rec.jdk |= jdk;
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
                FtraceReplaceCode.bindNew(rec, reg);
                // Known from now on: a key site's bootstrap then only reads it, which a JDK class's
                // key needs (its linking must not call the JDK methods it gives sites to).
                FtraceReplaceCode.key(rec);
                if (rec.classKey != null && rec.binding != OpsListFunc.NOP && !rec.planted) {
                    PENDING_PLANTS.add(rec.classKey);
                }
            }
            return rec.ip;
        }
    }

    /** The {@link JdkKeys} field ({@code K<slot>}) that JDK function {@code ip}'s methods read. */
    public static int jdkKeySlot(int ip) {
        synchronized (LOCK) {
            DynFtrace rec = RECORDS.get(ip);
            if (rec == null || !rec.jdk) {
                throw new IllegalArgumentException("function " + ip + " is not a JDK function");
            }
            return FtraceReplaceCode.jdkKeySlot(rec);
        }
    }

    /**
     * Calls {@code listener} with the ip of every function created from now on, under the core's lock
     * (so it sees functions in order and never misses one between its own update and the call).
     */
    /**
     * Records the names of function {@code ip}'s parameters (receiver excluded), joined by commas, as
     * the class file gives them: what func-args and funcgraph-args print. One string per function, kept
     * only for planted classes.
     */
    public static void setParameterNames(int ip, String names) {
        DynFtrace rec = RECORDS.get(ip);
        if (rec != null) {
            rec.parameterNames = names;
        }
    }

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
    static boolean needsArgs(Binding binding) {
        return binding.savesRegs();
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
    static void plantPending() {
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
            FtraceDirect.checkExclusive(op, f, nt, null);
            op.filterHash = f;
            op.notraceHash = nt;
            addOps(op);
        }
        plantPending();
    }

    /** Adds a checked, unregistered ops to the list and patches its functions. Caller holds LOCK. */
    static void addOps(FtraceOps op) {
        op.slot = FREE_SLOTS.isEmpty() ? nextSlot++ : FREE_SLOTS.poll();
        op.failures = 0;
        op.firstFailure = null;
        FtraceOps[] a = Arrays.copyOf(opsList, opsList.length + 1);
        a[a.length - 1] = op;
        opsList = a;
        op.setState(FtraceOps.STATE_ENABLED);
        FtraceReplaceCode.update();
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
            FtraceReplaceCode.update();
        }
        GracePeriod.synchronize();
        synchronized (LOCK) {
            GracePeriod.forget(op);
            FREE_SLOTS.add(op.slot);
            op.slot = -1;
            op.setState(FtraceOps.STATE_UNREGISTERED);
        }
    }

    /**
     * register_ftrace_direct: attaches {@code call} to the functions the ops' filter selects (set it
     * first; an empty filter is refused). A function traced by this ops alone gets its sites bound
     * straight to the handlers, called with the method's own arguments, unboxed; a function also traced
     * by ordinary ops goes through the list path, which calls the handlers too (boxed). Nothing is
     * registered if a check fails: another direct (or IPMODIFY) ops holds a function
     * ({@code IllegalStateException}, "EBUSY"), or a handler's type does not match a function's
     * ({@code IllegalArgumentException}). See {@link FtraceDirect}.
     *
     * @param op an ops made with {@link FtraceOps#direct}
     */
    public static void registerFtraceDirect(FtraceOps op, DirectCall call) {
        FtraceDirect.registerFtraceDirect(op, call);
    }

    /** register_ftrace_direct with an fentry handle alone: {@code DirectCall.entry(fentry)}. */
    public static void registerFtraceDirect(FtraceOps op, java.lang.invoke.MethodHandle fentry) {
        FtraceDirect.registerFtraceDirect(op, DirectCall.entry(fentry));
    }

    /**
     * modify_ftrace_direct: swaps the handlers of a registered direct ops, in one batch; no call misses
     * both, and a call whose entry ran the old handlers gets the old exit handlers. On a type mismatch
     * nothing changes.
     */
    public static void modifyFtraceDirect(FtraceOps op, DirectCall call) {
        FtraceDirect.modifyFtraceDirect(op, call);
    }

    /** unregister_ftrace_direct: detaches the direct ops; the functions' original behaviour is back. */
    public static void unregisterFtraceDirect(FtraceOps op) {
        FtraceDirect.unregisterFtraceDirect(op);
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
                FtraceDirect.checkExclusive(op, f, op.notraceHash, null);
            }
            FilterHash old = op.filterHash;
            op.filterHash = f;
            if (op.state() == FtraceOps.STATE_ENABLED) {
                // An empty filter means all functions, not none: then the bitmaps do not say what changed.
                if (old.isEmpty() || f.isEmpty()) {
                    FtraceReplaceCode.update();
                } else {
                    FtraceReplaceCode.update(FilterHash.differences(old, f));
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
                FtraceDirect.checkExclusive(op, op.filterHash, nt, null);
            }
            FilterHash old = op.notraceHash;
            op.notraceHash = nt;
            if (op.state() == FtraceOps.STATE_ENABLED) {
                FtraceReplaceCode.update(FilterHash.differences(old, nt)); // an empty notrace hash excludes none: its bitmap says so
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
                FtraceDirect.checkExclusive(op, f, nt, null);
            }
            op.filterHash = f;
            op.notraceHash = nt;
            if (op.state() == FtraceOps.STATE_ENABLED) {
                FtraceReplaceCode.update();
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
                if (FtraceReplaceCode.traces(f, nt, ip)) {
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
            String why = r.kind() != FilterRule.Kind.GLOB || r.negated() || !file.equals("set_ftrace_filter") ? null
                    : NotraceList.coveringReason(r.text());
            if (why != null) { // it would select nothing, ever: say why rather than trace nothing
                throw new FilterException(file + ": '" + r.text() + "' selects only functions that never get sites ("
                        + why + ")", r.text());
            }
        }
        return rules;
    }

    static FilterHash rebuild(FilterHash h) {
        return h.isEmpty() ? h : FilterHash.empty().with(h.rules(), true, RECORDS);
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
                sb.append("\tops: ").append(rec.binding.opsColumn());
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
        return FtraceReplaceCode.patchStats();
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
        return FtraceReplaceCode.lastBatchNanos();
    }

}
