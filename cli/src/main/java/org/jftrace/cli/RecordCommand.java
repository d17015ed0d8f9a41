package org.jftrace.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jftrace record}: runs a command with the agent in every JVM it starts (through
 * {@code JAVA_TOOL_OPTIONS}, so {@code java}, {@code mvn} and scripts all work) and writes the trace
 * of each when the command ends, as {@code trace-cmd record} does.
 */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = "Run COMMAND with tracing on and write the trace when it ends.")
final class RecordCommand implements Callable<Integer> {

    @Option(names = {"-p", "--tracer"}, paramLabel = "TRACER", defaultValue = "function_graph",
            description = "function_graph (default), function or nop.")
    String tracer;

    @Option(names = "-l", paramLabel = "FILTER", description = "set_ftrace_filter: functions to trace (ftrace globs; repeatable).")
    List<String> filters = new ArrayList<>();

    @Option(names = "-n", paramLabel = "NOTRACE", description = "set_ftrace_notrace: functions not to trace (repeatable).")
    List<String> notrace = new ArrayList<>();

    @Option(names = "-g", paramLabel = "GRAPH_FUNC", description = "set_graph_function: graph only what these call (repeatable).")
    List<String> graph = new ArrayList<>();

    @Option(names = "--max-depth", paramLabel = "N", description = "max_graph_depth.")
    Integer maxDepth;

    @Option(names = "--thresh", paramLabel = "DURATION", description = "tracing_thresh, e.g. 100us, 2ms (plain numbers are microseconds).")
    String thresh;

    @Option(names = "--include", paramLabel = "CLASS_GLOB",
            description = "Classes to instrument (default: all outside the JDK; repeatable).")
    List<String> include = new ArrayList<>();

    @Option(names = "-O", paramLabel = "OPTION", description = "A trace option, e.g. funcgraph-tail or nofuncgraph-duration (repeatable).")
    List<String> traceOptions = new ArrayList<>();

    @Option(names = "--clock", paramLabel = "CLOCK", description = "trace_clock: mono (default) or counter.")
    String clock;

    @Option(names = "--buffer-size-kb", paramLabel = "KB", description = "buffer_size_kb per thread.")
    Integer bufferSizeKb;

    @Option(names = "-o", paramLabel = "FILE", description = "Write the trace here instead of standard output.")
    Path output;

    @Option(names = "--data", paramLabel = "FILE",
            description = "Also write the raw trace data here, for 'jftrace report' (pictures: perfetto, folded, html, jfr)."
                    + " With --data and no -o, the text is not printed.")
    Path data;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command to run, after --.")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        Path jar = Jars.self();
        Path dir = Files.createTempDirectory("jftrace-record");
        try {
            String agent = "-javaagent:" + jar + "=" + agentOptions(dir.resolve("trace-%p.txt"));
            if (agent.contains(" ")) {
                System.err.println("jftrace record: paths with spaces are not supported: " + agent);
                return 2;
            }
            ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
            String prior = System.getenv("JAVA_TOOL_OPTIONS");
            pb.environment().put("JAVA_TOOL_OPTIONS", prior == null || prior.isBlank() ? agent : prior + " " + agent);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                System.err.println("jftrace record: cannot run '" + command.get(0) + "': " + e.getMessage());
                return 127;
            }
            int code = p.waitFor();
            if (data != null) {
                writeData(dir);
            }
            if (data == null || output != null) {
                writeTraces(dir);
            }
            return code;
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    String agentOptions(Path traceFile) {
        List<String> o = new ArrayList<>();
        for (String i : include) {
            o.add("include=" + i);
        }
        addSplit(o, "filter", filters);
        addSplit(o, "notrace", notrace);
        addSplit(o, "graph_function", graph);
        if (maxDepth != null) {
            o.add("max_graph_depth=" + maxDepth);
        }
        if (thresh != null) {
            o.add("tracing_thresh=" + Durations.micros(thresh));
        }
        for (String t : traceOptions) {
            o.add("trace_options=" + t);
        }
        if (clock != null) {
            o.add("clock=" + clock);
        }
        if (bufferSizeKb != null) {
            o.add("buffer_size_kb=" + bufferSizeKb);
        }
        o.add("tracer=" + tracer);
        o.add("output=" + traceFile);
        if (data != null) {
            o.add("data=" + traceFile.resolveSibling("data-%p.jftrace"));
        }
        for (String s : o) {
            if (s.indexOf(',') >= 0) {
                throw new IllegalArgumentException("a comma cannot be passed to the agent: '" + s + "'");
            }
        }
        return String.join(",", o);
    }

    private static void addSplit(List<String> o, String key, List<String> values) {
        for (String v : values) {
            for (String tok : v.trim().split("\\s+")) {
                if (!tok.isEmpty()) {
                    o.add(key + "=" + tok);
                }
            }
        }
    }

    /** The JVMs' data files, concatenated (each is a self-contained frame), in the order they ended. */
    private void writeData(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().startsWith("data-"))
                    .sorted(Comparator.comparing(f -> f.toFile().lastModified())).toList();
        }
        try (java.io.OutputStream out = Files.newOutputStream(data)) {
            for (Path f : files) {
                Files.copy(f, out);
            }
        }
        if (files.isEmpty()) {
            System.err.println("jftrace record: the command started no JVM that wrote trace data");
        } else if (output == null) {
            System.err.println("jftrace record: wrote " + data + " (" + files.size() + (files.size() == 1 ? " JVM" : " JVMs")
                    + "); 'jftrace report " + data + "' prints it");
        }
    }

    private void writeTraces(Path dir) throws IOException {
        List<Path> traces;
        try (Stream<Path> s = Files.list(dir)) {
            traces = s.filter(f -> f.getFileName().toString().startsWith("trace-"))
                    .sorted(Comparator.comparing(f -> f.toFile().lastModified())).toList();
        }
        PrintStream out = output == null ? System.out : new PrintStream(Files.newOutputStream(output), false, "UTF-8");
        try {
            for (Path t : traces) {
                if (traces.size() > 1) {
                    String name = t.getFileName().toString();
                    out.println("# jvm " + name.substring(6, name.length() - 4));
                }
                out.print(Files.readString(t));
            }
            if (traces.isEmpty()) {
                System.err.println("jftrace record: the command started no JVM that wrote a trace");
            }
        } finally {
            out.flush();
            if (output != null) {
                out.close();
            }
        }
    }
}
