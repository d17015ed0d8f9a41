package org.jftrace.control;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javax.management.ObjectName;
import org.jftrace.trace.Tracefs;

/** The {@link TracefsControlMBean}: every call is a {@link Tracefs} read or write. */
public final class TracefsControl implements TracefsControlMBean {

    public static final String OBJECT_NAME = "org.jftrace:type=Tracefs";

    private static boolean registered;

    /** Registers the MBean with the platform MBean server, once. */
    public static synchronized void register() throws Exception {
        if (registered) {
            return;
        }
        ObjectName name = new ObjectName(OBJECT_NAME);
        javax.management.MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (!server.isRegistered(name)) {
            server.registerMBean(new TracefsControl(), name);
        }
        registered = true;
    }

    /**
     * The errors a remote JMX client can show: only JDK exception classes cross the wire (a
     * client has no jftrace classes), so runtime failures become IllegalArgumentException.
     */
    private static RuntimeException plain(RuntimeException e) {
        return new IllegalArgumentException(e.getMessage());
    }

    @Override
    public String read(String path) {
        try {
            return Tracefs.jvm().read(path);
        } catch (RuntimeException e) {
            throw plain(e);
        }
    }

    @Override
    public void write(String path, String value) {
        try {
            Tracefs.jvm().write(path, value, false);
        } catch (RuntimeException e) {
            throw plain(e);
        }
    }

    @Override
    public void append(String path, String value) {
        try {
            Tracefs.jvm().write(path, value, true);
        } catch (RuntimeException e) {
            throw plain(e);
        }
    }

    @Override
    public void mkdirInstance(String name) {
        try {
            Tracefs.jvm().mkdirInstance(name);
        } catch (RuntimeException e) {
            throw plain(e);
        }
    }

    @Override
    public void rmdirInstance(String name) {
        try {
            Tracefs.jvm().rmdirInstance(name);
        } catch (RuntimeException e) {
            throw plain(e);
        }
    }

    @Override
    public String getCurrentTracer() {
        return read("current_tracer").strip();
    }

    @Override
    public void setCurrentTracer(String tracer) {
        write("current_tracer", tracer);
    }

    @Override
    public boolean isTracingOn() {
        return read("tracing_on").strip().equals("1");
    }

    @Override
    public void setTracingOn(boolean on) {
        write("tracing_on", on ? "1" : "0");
    }

    @Override
    public String getAvailableTracers() {
        return read("available_tracers").strip();
    }

    @Override
    public String getFtraceFilter() {
        return read("set_ftrace_filter");
    }

    @Override
    public void setFtraceFilter(String filter) {
        write("set_ftrace_filter", filter);
    }

    @Override
    public int getEnabledFunctionCount() {
        return (int) read("enabled_functions").lines().count();
    }

    @Override
    public String getControlSocket() {
        Path p = ControlServer.socket();
        return p == null ? "" : p.toString();
    }
}
