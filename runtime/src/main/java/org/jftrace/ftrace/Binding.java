package org.jftrace.ftrace;

/**
 * What a function's sites are bound to: the kernel's per-site CALL_OPS literal. One ops alone
 * ({@link FtraceOps}: the site calls its callback directly), a direct call ({@link DirectTarget}: the
 * ops carries its own trampoline), or the list func ({@link OpsListFunc}, whose empty list is the nop).
 *
 * <p>Sealed: the hot path tells the three apart by a type check against a final class, which C2
 * folds where a site binds a constant; the cold paths ask these methods instead.
 */
sealed interface Binding permits FtraceOps, DirectTarget, OpsListFunc {

    /** The ops this binding calls, in list order. Allocates for a single ops: cold paths only. */
    FtraceOps[] ops();

    /** The direct call this binding makes, or null. */
    DirectTarget direct();

    /** Whether its callbacks take the function's receiver and arguments (FL_SAVE_REGS, or a direct call's). */
    boolean savesRegs();

    /** The text of enabled_functions' ops column. */
    String opsColumn();
}
