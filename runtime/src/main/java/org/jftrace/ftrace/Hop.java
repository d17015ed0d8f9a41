package org.jftrace.ftrace;

import java.lang.invoke.CallSite;

/**
 * One link of an entry site's chain: the per-site constants that the chain's shared hop handles read
 * ({@link EntrySite}). A record because C2 trusts the final fields of records: bound into
 * the site's own target, a site's links are constants to the JIT, so it folds {@code ip} and each
 * {@code tail}'s target (a call site's target is folded with a dependency wherever the call site
 * object comes from) exactly as it folds a handle bound per site.
 *
 * <p>Why not bind per site: the JDK counts the calls of a handle reached through an exact invoker
 * ({@code dynamicInvoker()}) outside C2 and, at the 128th, customizes it: a hidden class and a
 * compilation per handle. Handles built per site per switch cost one of each per switched function
 * (docs/benchmarks.md, switching 10,000 functions); handles shared by a group's sites cost one per group.
 *
 * @param ip   the function
 * @param rec  its record (the slow path and FL_SAVE_REGS read it)
 * @param tail the call site whose target the next switch sets: the next hop, shared by a group
 * @param next the link the next hop gets; null for the last one, which keeps its slow target
 */
record Hop(int ip, DynFtrace rec, CallSite tail, Hop next) {

    /** The link a hop passes to the one behind its tail: the last link passes itself. */
    static Hop next(Hop h) {
        Hop n = h.next;
        return n != null ? n : h;
    }
}
