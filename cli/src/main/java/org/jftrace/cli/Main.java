package org.jftrace.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jftrace} command. */
@Command(name = "jftrace", mixinStandardHelpOptions = true, version = "jftrace 0.1.0",
        description = {"ftrace for the JVM: trace any method of a JVM, switch tracing on and off in milliseconds.",
                "", "jftrace PID cat|write|append|mkdir|rmdir|ls ...: the tracefs files of a running JVM (see 'control')."},
        subcommands = {DemoCommand.class, RecordCommand.class, AttachCommand.class, ListCommand.class, ControlCommand.class,
                ReportCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; {@code jftrace PID ...} is {@code jftrace control PID ...}. */
    static int run(String[] args) {
        String[] a = args;
        if (a.length > 0 && a[0].matches("[0-9]+")) {
            List<String> l = new ArrayList<>(List.of("control"));
            l.addAll(List.of(a));
            a = l.toArray(new String[0]);
        }
        CommandLine cl = new CommandLine(new Main());
        CommandListRenderer.install(cl);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof CliError) {
                System.err.println("jftrace: " + ex.getMessage());
                return ((CliError) ex).exitCode;
            }
            if (ex instanceof IllegalArgumentException) {
                System.err.println("jftrace: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl.execute(a);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
