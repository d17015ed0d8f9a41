package org.jftrace.ftrace;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;

/**
 * A site switched without {@code setTarget} on anything compiled code depends on.
 *
 * <p>Exit sites with a direct exit handler use this class; entry sites use the same scheme with hop
 * handles shared by a group's sites instead of built per site ({@link EntrySite},
 * {@link Hop}), because the JDK customizes every handle reached through {@code tail.dynamicInvoker()}
 * outside C2: one class and one compilation per site and switch here.
 *
 * <p>Its target is {@code wrap(g.guardWithTest(bound, tail))}, where {@code g} is its {@link PatchGroup}
 * and {@code tail} a private call site of its own. While {@code g} is valid, C1 and C2 fold the guard
 * to {@code bound} and never parse the fallback, so no compiled code depends on {@code tail}, and
 * retargeting it is as cheap as retargeting a site that was never called. A switch therefore first
 * sets the tail to the next guard ({@link #extend}), then invalidates the group once for the whole
 * batch; compiled code falls through the dead guard to the new one.
 *
 * <p>Why not {@code setTarget} on the site after the invalidation: HotSpot still counts the
 * already-invalidated nmethods as the site's dependents, so every such {@code setTarget} pays a full
 * deoptimisation pass (2 s for 10,000 sites on JDK 17, 4-11 s on JDK 25, measured in
 * docs/benchmarks.md). Each switch adds one guard to the chain; after {@link #MAX_HOPS} the site is
 * relinked whole (one pass for it) so the chain never grows past the JIT's inlining depth.
 */
class ChainedSite extends MutableCallSite {

    /**
     * Switches a site takes before a switch must relink it whole. ChainDepth (docs/benchmarks.md): up to
     * 8 guards a disabled site stays free once compiled; at 16 it costs 8 ns (C2 runs out of inlining
     * depth), at 32 it is not compiled at all.
     */
    static final int MAX_HOPS = Integer.getInteger("jftrace.maxHops", 8);

    /**
     * From this many hops on, the {@link Compactor} relinks the site in the background. Late rather than
     * early: each compaction deoptimises the site's method once more, which is what a chain avoids.
     */
    static final int COMPACT_AT = Math.max(1, MAX_HOPS - 2);

    private final MethodType innerType;
    private MutableCallSite tail;
    private int hops;

    ChainedSite(MethodType siteType, MethodType innerType) {
        super(siteType);
        this.innerType = innerType;
    }

    /** The site's target around the guarded part; identity unless a subclass adapts it. */
    MethodHandle wrap(MethodHandle guarded) {
        return guarded;
    }

    MethodType innerType() {
        return innerType;
    }

    boolean isLinked() {
        return tail != null;
    }

    int hops() {
        return hops;
    }

    /**
     * Sets the whole target: {@code setTarget} on this site, cheap only for a site no compiled code
     * depends on yet (a new one), else one deoptimisation pass. Caller holds Ftrace's lock.
     */
    final void link(PatchGroup g, MethodHandle bound, MethodHandle fallback) {
        MutableCallSite t = new MutableCallSite(fallback);
        setTarget(wrap(g.guardWithTest(bound, t.dynamicInvoker())));
        tail = t;
        hops = 0;
    }

    /**
     * Prepares a switch to {@code bound} behind {@code g}, taking effect when the site's current
     * group is invalidated. @return false if the chain is full: the caller must {@link #link}
     * the site after the invalidation instead.
     */
    final boolean extend(PatchGroup g, MethodHandle bound, MethodHandle fallback) {
        if (tail == null || hops >= MAX_HOPS) {
            return false;
        }
        MutableCallSite next = new MutableCallSite(fallback);
        tail.setTarget(g.guardWithTest(bound, next.dynamicInvoker()));
        tail = next;
        hops++;
        return true;
    }
}
