/**
 * The function tracing core, the kernel's {@code kernel/trace/ftrace.c}. {@link org.jftrace.ftrace.Ftrace}
 * is the public façade: ops ({@link org.jftrace.ftrace.FtraceOps}, {@code struct ftrace_ops}) with
 * their filter hashes, and the function records ({@link org.jftrace.ftrace.DynFtrace},
 * {@code struct dyn_ftrace}). Behind it:
 * <ul>
 *   <li>{@code Binding}: what a function's sites call, the per-site CALL_OPS literal: one ops, a
 *       direct call, or the list func ({@code OpsListFunc});</li>
 *   <li>{@code FtraceReplaceCode}: computing bindings and patching the sites that changed as one batch
 *       ({@code ftrace_replace_code}, {@code ftrace_modify_all_code}), with {@code PatchGroup} and
 *       {@code StaticKey} (static keys);</li>
 *   <li>{@code FtraceDirect}: direct calls ({@code register_ftrace_direct}), through
 *       {@link org.jftrace.ftrace.DirectCall};</li>
 *   <li>{@link org.jftrace.ftrace.Trampoline} (the sites' bootstraps), {@code EntrySite} and
 *       {@code EntryTrampoline} ({@code ftrace_caller}), {@code SavedArgs} (FL_SAVE_REGS: the
 *       arguments stored typed into the call's frame), {@code ExitSite} and
 *       {@link org.jftrace.ftrace.Exits} ({@code return_to_handler}), {@code ReplacedReturns} (live
 *       patches' return values);</li>
 *   <li>{@code ThreadCtx} and {@code Frame}: the per-thread context and shadow stack that pair each
 *       exit with its entry ({@code ftrace_ret_stack}); {@code GracePeriod}: the wait an unregister
 *       makes ({@code synchronize_rcu_tasks}).</li>
 * </ul>
 */
package org.jftrace.ftrace;
