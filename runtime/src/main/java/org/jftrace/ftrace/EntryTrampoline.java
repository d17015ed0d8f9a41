package org.jftrace.ftrace;

import java.util.Arrays;

/**
 * The entry trampolines, {@code ftrace_caller}'s body: what an {@link EntrySite}'s target calls for
 * one ops (CALL_OPS, {@link #callOps}), for the list func ({@link #listFunc}), with the arguments
 * ({@link #enterRegs}), and the slow path that reads the function's binding on each call.
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
        return ThreadCtx.current().enter(list, ip, null, null);
    }

    static Object enterRegs(Binding binding, int ip, boolean hasReceiver, Object[] all) {
        Object receiver = null;
        Object[] args = all;
        if (hasReceiver && all.length > 0) { // none at a bare entry (see canServe)
            receiver = all[0];
            args = Arrays.copyOfRange(all, 1, all.length);
        }
        Frame f = ThreadCtx.current().enter(binding, ip, receiver, args);
        if (f != null && f.replaced) {
            throw f.direct.signal(f.replacement, f); // a live patch in the list path: skip the body
        }
        return f;
    }

    static Object enterRegsHop(Binding binding, Hop h, Object[] all) {
        return enterRegs(binding, h.ip(), h.rec().hasReceiver, all);
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
            return enterRegs(b, rec.ip, rec.hasReceiver, all);
        }
        return ThreadCtx.current().enter(b, rec.ip, null, null);
    }
}
