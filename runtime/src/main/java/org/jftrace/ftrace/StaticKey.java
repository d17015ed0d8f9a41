package org.jftrace.ftrace;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;

/**
 * The kernel's static key (jump label), one per link group key: whether any function of a package
 * is traced at all. Every method of the package starts with
 * <pre>
 *   invokedynamic jftrace_key()Z   ifeq skip   [receiver] args...  invokedynamic jftrace_entry  astore token
 *   skip:
 * </pre>
 * and every {@code jftrace_key} instruction of the package is bound to this one call site.
 *
 * <p>Why: with the key off, C2 folds the branch and never parses the entry site, whose guard (the
 * {@link PatchGroup} test, a guardWithTest form and its profiling wrapper, about 300 bytes of
 * LambdaForms) otherwise counts against the caller's inlining budget at every inlined method of a
 * library that nothing traces. A key costs the indy's own call-site frame and a constant: about 40.
 *
 * <p>Invariant: the key is on while at least one of its functions has a binding other than
 * {@link OpsListFunc#NOP}. Turning it on is always safe (the entry site is correct on its own);
 * turning it off is safe once all its functions are bound to the nop. A flip deoptimises the code
 * that folded the key, in one pass, like a group guard. Guarded by Ftrace's lock.
 */
final class StaticKey {

    static final MethodType TYPE = MethodType.methodType(boolean.class);
    private static final MethodHandle ON = MethodHandles.constant(boolean.class, true);
    private static final MethodHandle OFF = MethodHandles.constant(boolean.class, false);

    /** Bound to every key instruction of the package. */
    final MutableCallSite site = new MutableCallSite(OFF);
    final String linkKey;
    /** Functions of this key whose binding is not the nop. */
    int enabled;
    /** Whether {@link #site} says on. */
    private boolean on;

    StaticKey(String linkKey) {
        this.linkKey = linkKey;
    }

    boolean isOn() {
        return on;
    }

    /** Whether the key must flip to agree with {@link #enabled}. */
    boolean needsFlip() {
        return on != (enabled > 0);
    }

    /**
     * Brings every key of {@code keys} in line with its count: one {@code setTarget} each (a
     * deoptimisation pass for the code that folded it), then one {@code syncAll}.
     */
    static void flip(java.util.Collection<StaticKey> keys) {
        MutableCallSite[] sites = new MutableCallSite[keys.size()];
        int n = 0;
        for (StaticKey k : keys) {
            if (k.needsFlip()) {
                k.on = k.enabled > 0;
                k.site.setTarget(k.on ? ON : OFF);
                sites[n++] = k.site;
            }
        }
        if (n > 0) {
            MutableCallSite.syncAll(java.util.Arrays.copyOf(sites, n));
        }
    }
}
