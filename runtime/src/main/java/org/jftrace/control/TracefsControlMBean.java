package org.jftrace.control;

/**
 * tracefs as a JMX MBean ({@code org.jftrace:type=Tracefs}), for JConsole and JMC: the same files
 * as {@code jftrace PID cat/write/append}. Errors are {@link IllegalArgumentException}s with the
 * one-line message the command line prints.
 */
public interface TracefsControlMBean {

    /** {@code cat PATH}. */
    String read(String path);

    /** {@code echo VALUE > PATH}. */
    void write(String path, String value);

    /** {@code echo VALUE >> PATH}. */
    void append(String path, String value);

    /** {@code mkdir instances/NAME}. */
    void mkdirInstance(String name);

    /** {@code rmdir instances/NAME}. */
    void rmdirInstance(String name);

    /** current_tracer of the top instance. */
    String getCurrentTracer();

    void setCurrentTracer(String tracer);

    /** tracing_on of the top instance. */
    boolean isTracingOn();

    void setTracingOn(boolean on);

    /** available_tracers, space-separated. */
    String getAvailableTracers();

    /** set_ftrace_filter of the top instance. */
    String getFtraceFilter();

    void setFtraceFilter(String filter);

    /** The number of lines of enabled_functions. */
    int getEnabledFunctionCount();

    /** The control socket's path, or empty if it is off. */
    String getControlSocket();
}
