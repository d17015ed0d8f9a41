/**
 * The function tracing core, the kernel's {@code kernel/trace/ftrace.c}: ops
 * ({@link org.jftrace.ftrace.FtraceOps}, {@code struct ftrace_ops}) with their filter hashes, the
 * function records ({@link org.jftrace.ftrace.DynFtrace}, {@code struct dyn_ftrace}), the trampoline
 * that an entry site calls ({@link org.jftrace.ftrace.Trampoline}: a site traced by one ops calls it
 * directly, CALL_OPS; several go through the list func), direct calls
 * ({@link org.jftrace.ftrace.DirectCall}, {@code register_ftrace_direct}), the per-thread context and
 * shadow stack that pair each exit with its entry ({@code ThreadCtx}), and the
 * batched patching of sites ({@code PatchGroup}, {@code StaticKey},
 * the kernel's {@code ftrace_replace_code} and static keys). {@link org.jftrace.ftrace.Ftrace} is the
 * public façade.
 */
package org.jftrace.ftrace;
