package org.jftrace.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jftrace demo}: records the bundled example program with function_graph and prints the trace. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Trace the bundled example program (a tiny shop) with function_graph and print the trace.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = {"-p", "--tracer"}, paramLabel = "TRACER", defaultValue = "function_graph",
            description = "function_graph (default), function or nop.")
    String tracer;

    @Override
    public Integer call() throws Exception {
        Path examples = Jars.extract("jftrace-examples.jar");
        RecordCommand r = new RecordCommand();
        r.tracing.tracer = tracer;
        r.tracing.include.add("com.example.*");
        r.command = List.of(Jars.java(), "-cp", examples.toString(), "com.example.shop.Shop", "2");
        System.err.println("jftrace demo: " + String.join(" ", r.command));
        return r.call();
    }
}
