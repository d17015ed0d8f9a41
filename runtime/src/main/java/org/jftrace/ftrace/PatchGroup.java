package org.jftrace.ftrace;

import java.lang.invoke.SwitchPoint;
import java.util.ArrayList;
import java.util.List;

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

    PatchGroup(String linkKey) {
        this.linkKey = linkKey;
    }

    boolean isInvalidated() {
        return sp.hasBeenInvalidated();
    }
}
