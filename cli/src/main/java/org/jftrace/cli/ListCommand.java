package org.jftrace.cli;

import com.sun.tools.attach.VirtualMachineDescriptor;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code jftrace list}: the JVMs the Attach API lists (this user's), marking those whose jftrace agent
 * serves a control socket. It never attaches: the mark comes from the socket file.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the JVMs that can be traced; AGENT is 'jftrace' where the agent is loaded.")
final class ListCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        long self = ProcessHandle.current().pid();
        System.out.printf("%-8s %-8s %s%n", "PID", "AGENT", "MAIN");
        for (VirtualMachineDescriptor d : Jvms.list()) {
            long pid;
            try {
                pid = Long.parseLong(d.id());
            } catch (NumberFormatException e) {
                continue;
            }
            if (pid == self) {
                continue;
            }
            String agent = Files.exists(ControlSockets.defaultPath(pid)) ? "jftrace" : "-";
            String name = d.displayName().isEmpty() ? "?" : d.displayName();
            System.out.printf("%-8d %-8s %s%n", pid, agent, name);
        }
        return 0;
    }
}
