package org.jftrace.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jftrace} command. */
@Command(name = "jftrace", mixinStandardHelpOptions = true, version = "jftrace 0.1.0",
        description = "ftrace for the JVM: trace any method of a JVM, switch tracing on and off in milliseconds.",
        subcommands = {DemoCommand.class, RecordCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
