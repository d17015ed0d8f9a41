package org.jftrace.ftrace;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SwitchPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sites that are switched together: every site's target is {@code sp.guardWithTest(bound, slow)},
 * with one {@link SwitchPoint} per group.
 *
 * <p>Why: HotSpot folds a call site's target into the compiled caller, so a change must deoptimise
 * that caller, and each {@code setTarget} pays its own deoptimisation pass (3.3 s for 10,000 compiled
 * sites on JDK 17, 7-20 s on JDK 25). Invalidating one SwitchPoint deoptimises all its dependents in
 * one pass, after which every site of the group runs the slow target (which reads the record's ops),
 * and relinking them costs almost nothing because no compiled code depends on them any more.
 *
 * <p>A group's members are only the sites that were linked or switched together: sites linked while
 * a package's classes first run share the package's link group; the sites one batch changes form one
 * new group, so the next switch of the same functions is again one pass and deoptimises nothing else.
 */
final class PatchGroup {

    final SwitchPoint sp = new SwitchPoint();
    final List<DynFtrace> members = new ArrayList<>();
    /** For link groups: the package whose sites join it. */
    final String linkKey;

    private static final MethodHandle TRUE = MethodHandles.constant(boolean.class, true);
    private static final MethodHandle FALSE = MethodHandles.constant(boolean.class, false);

    /** {@code ()boolean}: true while {@link #sp} is valid; C2 folds it to a constant, with a dependency on sp. */
    private MethodHandle valid;
    /** {@link #valid} adapted to each site type seen: built once per type, not once per site. */
    private final Map<MethodType, MethodHandle> tests = new HashMap<>();

    PatchGroup(String linkKey) {
        this.linkKey = linkKey;
    }

    /**
     * {@code sp.guardWithTest(target, fallback)}, cheaper: SwitchPoint adapts its test to the target's
     * type anew for every site, which was a third of a 10,000-site batch (an async-profiler profile of
     * SwitchTenThousand); here that adaptation is shared by every site of the group with that type.
     */
    synchronized MethodHandle guardWithTest(MethodHandle target, MethodHandle fallback) {
        MethodType type = target.type();
        MethodHandle test = tests.get(type);
        if (test == null) {
            if (valid == null) {
                valid = sp.guardWithTest(TRUE, FALSE);
            }
            test = MethodHandles.dropArguments(valid, 0, type.parameterList());
            tests.put(type, test);
        }
        return MethodHandles.guardWithTest(test, target, fallback);
    }

    boolean isInvalidated() {
        return sp.hasBeenInvalidated();
    }
}
