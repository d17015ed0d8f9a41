/**
 * Function filters: ftrace's glob syntax ({@link org.jftrace.filter.Glob}, the kernel's
 * {@code ftrace_match}), the rules of {@code set_ftrace_filter} and its commands
 * ({@link org.jftrace.filter.FilterParser}, {@link org.jftrace.filter.FilterRule}), and the filter
 * hash an ops traces by ({@link org.jftrace.filter.FilterHash}, {@code struct ftrace_hash}).
 */
package org.jftrace.filter;
