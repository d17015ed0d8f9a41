package org.jftrace.ftrace;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;

/**
 * An exit or throw site. Plain (the generic exit, which is right for every token) unless its
 * function has a direct exit handler; then chained like an entry site.
 */
final class ExitSite extends ChainedSite {
    final int ip;
    final boolean isThrow;

    ExitSite(MethodType type, int ip, boolean isThrow) {
        super(type, isThrow ? type.changeReturnType(void.class) : type);
        this.ip = ip;
        this.isThrow = isThrow;
    }

    @Override
    MethodHandle wrap(MethodHandle guarded) {
        return isThrow ? ReplacedReturns.throwTarget(type(), guarded, ip) : guarded;
    }

    /** The plain target, with no guard: for functions without a direct exit handler. */
    void linkPlain() {
        setTarget(wrap(Exits.target(innerType(), isThrow)));
    }

    /**
     * The generic exit of an exit site, right for every token. An exit site's target is this, or behind
     * the group's guard the function's direct exit handler for its own token with this as the fallback.
     */
    static MethodHandle genericExit(DynFtrace rec, ExitSite site) {
        return Exits.target(site.innerType(), site.isThrow);
    }

    /** The bound part of an exit site's target: the direct exit handler for its own token, else generic. */
    static MethodHandle boundExit(DynFtrace rec, ExitSite site) {
        MethodHandle generic = genericExit(rec, site);
        DirectTarget d = rec.direct();
        if (d != null && !d.h.isGeneric()) {
            try {
                return d.exitTarget(site.innerType(), site.isThrow, generic);
            } catch (RuntimeException e) { // e.g. a handler naming a class of another loader
                FtraceLog.warn("cannot bind the direct exit of " + rec.name + " exactly (" + e + "); it is called boxed");
            }
        }
        return generic;
    }
}
