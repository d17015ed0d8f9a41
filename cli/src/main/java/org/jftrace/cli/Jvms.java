package org.jftrace.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finding JVMs and their control sockets, and loading the agent through the Attach API (module
 * jdk.attach, so the command must run on a full JDK). Only the user who owns a JVM can attach to
 * it: that is the Attach API's rule, and the control socket's directory is owner-only.
 *
 * <p>A process is attached to only if the Attach API lists it: HotSpot's attach mechanism starts by
 * sending SIGQUIT, which would kill a process that is not a JVM.
 */
final class Jvms {

    private Jvms() {
    }

    static List<VirtualMachineDescriptor> list() {
        try {
            return VirtualMachine.list();
        } catch (NoClassDefFoundError e) {
            throw noAttachModule();
        }
    }

    private static CliError noAttachModule() {
        return new CliError("the Attach API (module jdk.attach) is missing: run jftrace on a full JDK, not a JRE");
    }

    /** Checks that pid names a JVM this user can attach to, else a one-line error naming why not. */
    static VirtualMachineDescriptor find(long pid) {
        if (pid == ProcessHandle.current().pid()) {
            throw new CliError("pid " + pid + " is this jftrace command itself");
        }
        for (VirtualMachineDescriptor d : list()) {
            if (d.id().equals(Long.toString(pid))) {
                return d;
            }
        }
        if (ProcessHandle.of(pid).isEmpty()) {
            throw new CliError("no process with pid " + pid);
        }
        if (commandLine(pid).contains("-XX:+DisableAttachMechanism")) {
            throw new CliError("cannot attach to JVM " + pid + ": it was started with -XX:+DisableAttachMechanism");
        }
        throw new CliError("process " + pid + " is not a JVM that jftrace can attach to (not a JVM, another user's,"
                + " or started with -XX:+DisableAttachMechanism or -XX:-UsePerfData); 'jftrace list' shows those it can");
    }

    /** The process's command line where the OS shows it (Linux: /proc/PID/cmdline), else "". */
    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("");
        }
    }

    static VirtualMachine attach(VirtualMachineDescriptor d) {
        try {
            return VirtualMachine.attach(d);
        } catch (AttachNotSupportedException e) {
            throw new CliError("cannot attach to JVM " + d.id() + ": " + e.getMessage()
                    + " (was it started with -XX:+DisableAttachMechanism?)");
        } catch (IOException e) {
            throw new CliError("cannot attach to JVM " + d.id() + ": " + e.getMessage());
        } catch (NoClassDefFoundError e) {
            throw noAttachModule();
        }
    }

    /**
     * The control socket of a JVM that has the agent, or null: the default path, else the path the
     * agent published in the system property {@code jftrace.control} (a JVM whose java.io.tmpdir
     * differs from ours), which is read through the Attach API.
     */
    static Path findSocket(long pid, VirtualMachineDescriptor d) {
        Path p = ControlSockets.defaultPath(pid);
        if (Files.exists(p)) {
            return p;
        }
        if (d == null) {
            return null;
        }
        VirtualMachine vm = attach(d);
        try {
            String s = vm.getSystemProperties().getProperty("jftrace.control");
            return s == null || !Files.exists(Path.of(s)) ? null : Path.of(s);
        } catch (IOException e) {
            throw new CliError("cannot read the properties of JVM " + d.id() + ": " + e.getMessage());
        } finally {
            detachQuietly(vm);
        }
    }

    /** Loads jftrace.jar into the JVM (the agent starts its control socket) and returns the socket. */
    static Path loadAgent(VirtualMachineDescriptor d, Path jar) {
        VirtualMachine vm = attach(d);
        try {
            vm.loadAgent(jar.toString(), "");
            String s = vm.getSystemProperties().getProperty("jftrace.control");
            if (s == null) {
                throw new CliError("JVM " + d.id() + " loaded the agent but started no control socket (see its standard error)");
            }
            return Path.of(s);
        } catch (AgentLoadException | AgentInitializationException e) {
            throw new CliError("JVM " + d.id() + " could not load the agent: " + e.getMessage());
        } catch (IOException e) {
            throw new CliError("cannot load the agent into JVM " + d.id() + ": " + e.getMessage());
        } finally {
            detachQuietly(vm);
        }
    }

    /** Connects to the JVM's control socket, or fails with a sentence saying how to get one. */
    static ControlClient control(long pid) {
        Path p = ControlSockets.defaultPath(pid);
        if (!Files.exists(p)) {
            p = findSocket(pid, find(pid));
        }
        if (p == null) {
            throw new CliError("JVM " + pid + " has no jftrace agent: run 'jftrace attach " + pid
                    + "' or start it with -javaagent:jftrace.jar");
        }
        try {
            return ControlClient.connect(pid, p);
        } catch (IOException e) {
            if (ProcessHandle.of(pid).isEmpty()) {
                throw new CliError("no process with pid " + pid);
            }
            throw new CliError("cannot connect to the control socket of JVM " + pid + " (" + p + "): " + e.getMessage());
        }
    }

    private static void detachQuietly(VirtualMachine vm) {
        try {
            vm.detach();
        } catch (IOException ignored) {
            // detaching anyway
        }
    }
}
