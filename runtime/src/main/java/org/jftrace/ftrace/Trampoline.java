package org.jftrace.ftrace;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;

/**
 * The bootstrap methods the agent's sites link to: where a site first meets the ftrace core.
 *
 * <p>Each traced method begins with {@code invokedynamic jftrace_entry(receiver?, args...)Object},
 * an {@link EntrySite} bound, through its {@link PatchGroup}'s guard, to one of:
 * <ul>
 *   <li>nothing traces the function: {@code MethodHandles.empty}, which returns the constant null
 *       token; C2 folds the site and the exits' null checks away;</li>
 *   <li>one ops (CALL_OPS): {@link EntryTrampoline#callOps} bound to that ops, so the call goes
 *       straight to its callback with no list walk;</li>
 *   <li>two or more: {@link EntryTrampoline#listFunc} bound to the function's {@link OpsListFunc}.</li>
 * </ul>
 * Arguments reach the trampoline only when some ops asked for them (FL_SAVE_REGS): typed stores into
 * the call's frame, nothing boxed ({@code SavedArgs}); otherwise the bound target drops them.
 *
 * <p>Every return and the catch-all handler call {@code jftrace_exit(ret, token)} /
 * {@code jftrace_throw(throwable, token)}: {@link ExitSite}s that hand the token (a {@link Frame})
 * back to {@link Exits}; a live patch's replacement value comes back through {@link ReplacedReturns}.
 */
public final class Trampoline {

    private Trampoline() {
    }

    // ---------------------------------------------------------------------------------------------
    // Bootstrap methods. They must never throw: a failed link becomes a site that does nothing.

    /**
     * The bootstrap of every site the agent writes, which it names: {@code jftrace_key},
     * {@code jftrace_entry}, {@code jftrace_exit} and {@code jftrace_throw}. One bootstrap handle
     * for all of them because HotSpot resolves a bootstrap method handle once per class (its constant
     * pool entry) and adapts it once per handle: with one handle, the entry and exit sites that first
     * link when a function is traced (after its static key went on) reuse what the key's link resolved.
     */
    public static CallSite site(MethodHandles.Lookup caller, String name, MethodType type, int ip) {
        switch (name) {
            case "jftrace_key":
                return key(caller, name, type, ip);
            case "jftrace_entry":
                return entry(caller, name, type, ip);
            case "jftrace_exit":
            case "jftrace_throw":
                return exit(caller, name, type, ip);
            default: // not written by our agent
                FtraceLog.warn("unknown site " + name + " in " + caller.lookupClass().getName() + ": linked to nothing");
                return new ConstantCallSite(MethodHandles.empty(type));
        }
    }

    /** Bootstrap of a method's entry site. */
    public static CallSite entry(MethodHandles.Lookup caller, String name, MethodType type, int ip) {
        try {
            return FtraceReplaceCode.linkEntry(ip, type);
        } catch (Throwable t) {
            FtraceLog.warn("cannot link the entry site of function " + ip + " in " + caller.lookupClass().getName()
                    + ": " + t);
            return new ConstantCallSite(MethodHandles.empty(type));
        }
    }

    /**
     * Bootstrap of a method's key instruction ({@code jftrace_key()Z}): its package's {@link StaticKey},
     * shared by every method of the package. A key that cannot be linked says on: the entry site then
     * decides, which is always right.
     */
    public static CallSite key(MethodHandles.Lookup caller, String name, MethodType type, int ip) {
        try {
            MutableCallSite key = FtraceReplaceCode.linkKey(ip);
            try {
                FtraceReplaceCode.prelinkEntry(ip, caller.lookupClass().getClassLoader());
            } catch (Throwable t) {
                // Nothing lost: the entry's own bootstrap links it, and reports what fails there.
            }
            return key;
        } catch (Throwable t) {
            FtraceLog.warn("cannot link the static key of function " + ip + " in " + caller.lookupClass().getName()
                    + ": " + t);
            return new ConstantCallSite(MethodHandles.constant(boolean.class, true));
        }
    }

    /**
     * Bootstrap of a method's exit sites ({@code jftrace_exit}) and its throw site
     * ({@code jftrace_throw}): {@link ExitSite}s, relinked with the entry site when a direct exit
     * handler comes or goes (see {@link DirectTarget}).
     */
    public static CallSite exit(MethodHandles.Lookup caller, String name, MethodType type, int ip) {
        try {
            return FtraceReplaceCode.linkExit(ip, type, "jftrace_throw".equals(name));
        } catch (Throwable t) {
            FtraceLog.warn("cannot link an exit site of function " + ip + " in " + caller.lookupClass().getName()
                    + ": " + t);
            if ("jftrace_throw".equals(name)) { // never swallow the method's exception
                return new ConstantCallSite(MethodHandles.dropArguments(
                        MethodHandles.throwException(type.returnType(), Throwable.class), 1, Object.class).asType(type));
            }
            return new ConstantCallSite(MethodHandles.empty(type));
        }
    }
}
