package org.jftrace.ftrace;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Sites that are switched together: every site's target is {@code guardWithTest(bound, slow)}, with
 * one guard per group.
 *
 * <p>Why: HotSpot folds a call site's target into the compiled caller, so a change must deoptimise
 * that caller, and each {@code setTarget} pays its own deoptimisation pass (3.3 s for 10,000 compiled
 * sites on JDK 17, 7-20 s on JDK 25). Invalidating one guard deoptimises all its dependents in one
 * pass, after which every site of the group runs the slow target (which reads the record's ops),
 * and relinking them costs almost nothing because no compiled code depends on them any more.
 *
 * <p>A group's members are only the sites that were linked or switched together: sites linked while
 * a package's classes first run share the package's link group; the sites one batch changes form one
 * new group, so the next switch of the same functions is again one pass and deoptimises nothing else.
 *
 * <p>The guard is {@link java.lang.invoke.SwitchPoint}'s own mechanism (a {@code ()boolean} mutable
 * call site, constant true until invalidated), kept here so that its test can be adapted once per site
 * type and group: {@code SwitchPoint.guardWithTest} adapted it again for every site, making and
 * interning a new MethodType each time: 8% of a 10,000-function switch in a profile.
 * Guarded by Ftrace's lock, but for {@link #isInvalidated}.
 */
final class PatchGroup {

    private static final MethodHandle TRUE = MethodHandles.constant(boolean.class, true);
    private static final MethodHandle FALSE = MethodHandles.constant(boolean.class, false);

    private final MutableCallSite guard = new MutableCallSite(TRUE);
    private final MethodHandle test = guard.dynamicInvoker();
    /** The test with each site type's arguments dropped; one type is the common case. */
    private MethodType lastType;
    private MethodHandle lastTest;
    private HashMap<MethodType, MethodHandle> tests;
    private volatile boolean invalidated;

    /** The hop handles of this group's entry sites, per erased site type and binding (see {@link Hop}). */
    private HashMap<MethodType, java.util.IdentityHashMap<Binding, MethodHandle>> hops;
    private MethodType lastHopType;
    private Binding lastHopBinding;
    private MethodHandle lastHop;

    final List<DynFtrace> members = new ArrayList<>();
    /** Members that a batch has moved to another group: when all have, the group has no bystanders. */
    int movedOut;
    /** For link groups: the package whose sites join it. */
    final String linkKey;

    PatchGroup(String linkKey) {
        this.linkKey = linkKey;
    }

    boolean isInvalidated() {
        return invalidated;
    }

    /** {@code target} while this group is valid, {@code fallback} once it has been invalidated. */
    MethodHandle guardWithTest(MethodHandle target, MethodHandle fallback) {
        MethodType t = target.type();
        MethodHandle tst;
        if (t == lastType) { // MethodTypes are interned: identity is equality
            tst = lastTest;
        } else {
            if (tests == null) {
                tests = new HashMap<>();
            }
            tst = tests.get(t); // no lambdas on the linking path: each makes the JVM spin classes
            if (tst == null) {
                tst = MethodHandles.dropArguments(test, 0, t.parameterList());
                tests.put(t, tst);
            }
            lastType = t;
            lastTest = tst;
        }
        return MethodHandles.guardWithTest(tst, target, fallback);
    }

    /**
     * The hop handle that every entry site of this group with {@code rec}'s binding and erased type
     * {@code erased} shares ({@link EntrySite}): built once per group, binding and type.
     */
    MethodHandle hop(DynFtrace rec, MethodType erased) {
        Binding b = rec.binding;
        if (b == lastHopBinding && erased == lastHopType) { // one binding and type per batch is the common case
            return lastHop;
        }
        if (hops == null) {
            hops = new HashMap<>();
        }
        java.util.IdentityHashMap<Binding, MethodHandle> byBinding = hops.get(erased);
        if (byBinding == null) {
            byBinding = new java.util.IdentityHashMap<>();
            hops.put(erased, byBinding);
        }
        MethodHandle h = byBinding.get(b);
        if (h == null) {
            h = EntrySite.hop(this, rec, b, erased);
            byBinding.put(b, h);
        }
        lastHopBinding = b;
        lastHopType = erased;
        lastHop = h;
        return h;
    }

    /**
     * Invalidates {@code groups} at once, as {@code SwitchPoint.invalidateAll}: each guard's change
     * deoptimises the code that folded it (one pass per group), then one {@code syncAll} publishes them.
     */
    static void invalidateAll(PatchGroup[] groups) {
        if (groups.length == 0) {
            return;
        }
        MutableCallSite[] sites = new MutableCallSite[groups.length];
        for (int i = 0; i < groups.length; i++) {
            PatchGroup g = groups[i];
            g.invalidated = true;
            g.guard.setTarget(FALSE);
            sites[i] = g.guard;
        }
        MutableCallSite.syncAll(sites);
    }
}
