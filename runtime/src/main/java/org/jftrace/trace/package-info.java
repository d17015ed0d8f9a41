/**
 * The tracers and the control files, the kernel's {@code kernel/trace/trace*.c}: the
 * {@code function} and {@code function_graph} tracers and the function profiler, the tracing
 * instances ({@link org.jftrace.trace.TraceInstance}, {@code struct trace_array}), the tracefs
 * files ({@link org.jftrace.trace.Tracefs}) and ftrace's text formats
 * ({@link org.jftrace.trace.TraceOutput}).
 */
package org.jftrace.trace;
