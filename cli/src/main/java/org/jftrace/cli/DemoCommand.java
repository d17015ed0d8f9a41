package org.jftrace.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code jftrace demo}: traces the bundled example program and prints the trace. */
@Command(name = "demo", description = "Trace the bundled example program (a tiny shop) and print the trace.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("jftrace demo: the tracers are not built yet");
        return 1;
    }
}
