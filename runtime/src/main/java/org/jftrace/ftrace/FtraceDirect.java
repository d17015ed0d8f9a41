package org.jftrace.ftrace;

import org.jftrace.filter.FilterHash;

/**
 * Direct calls: ops that carry their own trampoline ({@code register_ftrace_direct},
 * {@code modify_ftrace_direct}, {@code unregister_ftrace_direct} of {@code kernel/trace/ftrace.c}).
 * Their exclusivity rules (one direct ops and one IPMODIFY ops per function) are checked here before
 * anything changes; {@link FtraceReplaceCode} then binds each function to its {@link DirectTarget}.
 * {@link Ftrace} is the public face of these calls.
 */
final class FtraceDirect {

    private FtraceDirect() {
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
    static void registerFtraceDirect(FtraceOps op, DirectCall call) {
        java.util.Objects.requireNonNull(call, "call");
        if (!op.filterHash.isEmpty()) { // an empty one is refused below
            Ftrace.discover(op.filterHash.rules());
        }
        synchronized (Ftrace.LOCK) {
            if (!op.hasFlag(FtraceOps.FL_DIRECT) || op.func != null || op.retfunc != null) {
                throw new IllegalArgumentException("ops '" + op.name + "' is not a direct ops: make it with FtraceOps.direct (EINVAL)");
            }
            if (op.state() != FtraceOps.STATE_UNREGISTERED) {
                throw new IllegalStateException("ops '" + op.name + "' is already registered (EINVAL)");
            }
            if (call.patches() && !op.hasFlag(FtraceOps.FL_IPMODIFY)) {
                throw new IllegalArgumentException("direct ops '" + op.name + "' replaces functions but lacks FL_IPMODIFY (EINVAL)");
            }
            FilterHash f = Ftrace.rebuild(op.filterHash);
            FilterHash nt = Ftrace.rebuild(op.notraceHash);
            checkExclusive(op, f, nt, call);
            op.filterHash = f;
            op.notraceHash = nt;
            op.directTargets.clear();
            op.directCall = call;
            Ftrace.addOps(op);
        }
        Ftrace.plantPending();
    }


    /**
     * modify_ftrace_direct: swaps the handlers of a registered direct ops. No call misses both: the new
     * targets of every function are published in one batch (one guard invalidation, then a
     * relink), and each call reaching a site runs either the old handler (the site's old target, still
     * valid) or the new one (the slow path and the relinked target both read the new binding, written
     * before the invalidation). A call whose entry ran the old handlers gets the old exit handlers.
     * On a type mismatch nothing changes.
     */
    static void modifyFtraceDirect(FtraceOps op, DirectCall call) {
        java.util.Objects.requireNonNull(call, "call");
        synchronized (Ftrace.LOCK) {
            if (!op.hasFlag(FtraceOps.FL_DIRECT) || op.directCall == null || op.state() == FtraceOps.STATE_UNREGISTERED) {
                throw new IllegalStateException("ops '" + op.name + "' is not a registered direct ops (EINVAL)");
            }
            if (call.patches() && !op.hasFlag(FtraceOps.FL_IPMODIFY)) {
                throw new IllegalArgumentException("direct ops '" + op.name + "' replaces functions but lacks FL_IPMODIFY (EINVAL)");
            }
            checkExclusive(op, op.filterHash, op.notraceHash, call);
            op.directTargets.clear();
            op.directCall = call;
            FtraceReplaceCode.update();
        }
        Ftrace.plantPending();
    }

    /** unregister_ftrace_direct: detaches the direct ops; the functions' original behaviour is back. */
    static void unregisterFtraceDirect(FtraceOps op) {
        if (!op.hasFlag(FtraceOps.FL_DIRECT)) {
            throw new IllegalArgumentException("ops '" + op.name + "' is not a direct ops (EINVAL)");
        }
        Ftrace.unregisterFtraceFunction(op);
        synchronized (Ftrace.LOCK) {
            op.directCall = null;
            op.directTargets.clear();
        }
    }

    /**
     * The kernel's rules, checked before anything changes: at most one direct ops and one IPMODIFY
     * ops per function, a direct ops needs a non-empty filter and handlers of the right types.
     */
    static void checkExclusive(FtraceOps op, FilterHash filter, FilterHash notrace, DirectCall call) {
        boolean direct = op.hasFlag(FtraceOps.FL_DIRECT);
        boolean ipmodify = op.hasFlag(FtraceOps.FL_IPMODIFY);
        if (!direct && !ipmodify) {
            return;
        }
        if (direct && filter.isEmpty()) {
            throw new IllegalArgumentException("direct ops '" + op.name + "' has an empty filter: set the functions it attaches to first (EINVAL)");
        }
        FtraceOps[] reg = Ftrace.opsList;
        int n = Ftrace.RECORDS.size();
        for (int ip = 1; ip <= n; ip++) {
            if (!FtraceReplaceCode.traces(filter, notrace, ip)) {
                continue;
            }
            DynFtrace rec = Ftrace.RECORDS.get(ip);
            for (FtraceOps other : reg) {
                if (other == op || !FtraceReplaceCode.traces(other, ip)) {
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
    static DirectTarget directTarget(FtraceOps op, DynFtrace rec) {
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
}
