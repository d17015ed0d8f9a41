/**
 * The trace buffers, the kernel's {@code kernel/trace/ring_buffer.c}: one lock-free single-writer ring
 * of 32-byte records per thread ({@link org.jftrace.ring.TraceBuffer}, the per-CPU
 * {@code ring_buffer_per_cpu}; pooled for virtual threads), the instance's set of them with its
 * settings and memory budget ({@link org.jftrace.ring.TraceBuffers}, {@code struct trace_buffer}), the
 * record layout ({@link org.jftrace.ring.RecordDescriptor}), the clocks
 * ({@link org.jftrace.ring.TraceClock}, {@code trace_clock}) and the consuming reader
 * ({@link org.jftrace.ring.TracePipe}, {@code trace_pipe}).
 */
package org.jftrace.ring;
