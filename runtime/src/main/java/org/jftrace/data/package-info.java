/**
 * Recording to disk, the counterpart of {@code trace-cmd record}: a drain thread that streams every
 * thread's buffer to a trace data file while the program runs ({@link org.jftrace.data.TraceDrain}),
 * the file's encoder ({@link org.jftrace.data.DataStreamWriter}; the format is docs/data-format.md)
 * and the thread that writes it to disk.
 */
package org.jftrace.data;
