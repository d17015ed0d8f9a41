package org.jftrace.ftrace;

/**
 * The entry trampolines, {@code ftrace_caller}'s body: what an {@link EntrySite}'s target calls for
 * one ops (CALL_OPS, {@link #callOps}), for the list func ({@link #listFunc}), with the arguments
 * saved ({@link #enterSaved}, after {@link SavedArgs}' typed stores; {@link #enterRegs} for the boxed
 * paths), and the slow path that reads the function's binding on each call.
 * Everything they call is written not to throw; they catch nothing here, so that C2 sees the
 * smallest possible code on the hot path.
 */
final class EntryTrampoline {

    private EntryTrampoline() {
    }

    static Object callOps(FtraceOps op, FtraceFunc fn, int flags, byte exitKind, int ip) {
        return ThreadCtx.current().enterOne(op, fn, flags, exitKind, ip);
    }

    static Object listFunc(OpsListFunc list, int ip) {
        return ThreadCtx.current().enter(list, ip);
    }

    /** The entry with saved arguments: {@code f}'s slots hold the site's parameters, of kinds {@code kinds}. */
    static Object enterSaved(Binding binding, char[] kinds, Frame f, Hop h) {
        return checkReplaced(f.ctx.enter(binding, h.ip(), f, kinds, h.rec().hasReceiver));
    }

    /**
     * The entry with saved arguments from a boxed path: {@code all} are the site's parameters, boxed.
     * A bare entry (a JDK method's among them) passes none and reaches no class beyond the frame's:
     * JdkSites loads those before any JDK method has sites.
     */
    static Object enterRegs(DynFtrace rec, Binding binding, Object[] all) {
        ThreadCtx ctx = ThreadCtx.current();
        char[] kinds = all.length == 0 ? Frame.NO_KINDS : rec.entryKinds();
        if (kinds.length != all.length) { // a bare entry passes none (see canServe)
            kinds = Frame.NO_KINDS;
        }
        Frame f = ctx.argFrame(kinds.length);
        if (kinds.length > 0) {
            SavedArgs.storeBoxed(f, kinds, all);
        }
        return checkReplaced(ctx.enter(binding, rec.ip, f, kinds, rec.hasReceiver));
    }

    private static Frame checkReplaced(Frame f) {
        if (f != null && f.replaced) {
            throw f.direct.signal(f.replacement, f); // a live patch in the list path: skip the body
        }
        return f;
    }

    static Object slowHop(Hop h, Object[] all) {
        return slow(h.rec(), all);
    }

    /**
     * The slow path: the target of a chain's tail until a switch sets it (reached only past the last
     * link, or if a tail's new target is not yet visible to a thread), a direct call that cannot be
     * bound exactly, and class files too old for invokedynamic. Reads the record's ops like arm64's
     * ftrace_caller reads the per-site literal.
     */
    static Object slow(DynFtrace rec, Object[] all) {
        Binding b = rec.binding;
        if (b == OpsListFunc.NOP || (all.length == 0 && EntrySite.needsDirectArgs(b) && rec.hasEntryParameters())) {
            // a bare entry: see canServe
            return null;
        }
        if (b instanceof DirectTarget) {
            return ThreadCtx.current().enterDirect((DirectTarget) b, all);
        }
        if (b.savesRegs()) {
            return enterRegs(rec, b, all);
        }
        return ThreadCtx.current().enter(b, rec.ip);
    }
}
