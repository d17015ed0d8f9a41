package org.jftrace.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jftrace.cli.export.ExportOptions;
import org.jftrace.cli.export.ExportSession;
import org.jftrace.cli.export.ExportTarget;
import org.jftrace.cli.report.DataFile;
import org.jftrace.cli.report.Jvm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    TracingOptions tracing = new TracingOptions();

    @Option(names = "-o", paramLabel = "FILE", description = "Write the trace here instead of standard output.")
    Path output;

    @Option(names = "--data", paramLabel = "FILE",
            description = "Stream every traced call to this file while the command runs, for 'jftrace report' (text,"
                    + " perfetto, chrome-json, trace-dat, folded, html, jfr). With --data and no -o, the text is not printed.")
    Path data;

    @Mixin
    ExportOptions export = new ExportOptions();

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command to run, after --.")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        List<ExportTarget> targets = export.targets(tracing.tracer, tracing.clock);
        Path jar = Jars.self();
        Path dir = Files.createTempDirectory("jftrace-record");
        try {
            String agent = "-javaagent:" + jar + "=" + agentOptions(dir.resolve("trace-%p.txt"), !targets.isEmpty());
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
            // the JVMs stream their records to data files in dir: the export follows them as they grow
            ExportSession exporting = targets.isEmpty() ? null
                    : ExportSession.start(targets, tracing.threshNanos(), () -> dataFiles(dir));
            int code = p.waitFor();
            if (exporting != null) {
                exporting.finish();
            }
            if (data == null && exporting != null) { // recorded only for the export: text only if asked for
                if (output != null) {
                    Path all = dir.resolve("all.jftrace");
                    concatenate(dataFiles(dir), all);
                    new picocli.CommandLine(new ReportCommand()).execute(all.toString(), "-o", output.toString());
                }
            } else if (data != null) {
                writeData(dir);
                if (output != null) { // the JVMs streamed their records to the data: the text comes from it
                    int rc = new picocli.CommandLine(new ReportCommand()).execute(data.toString(), "-o", output.toString());
                    if (rc != 0) {
                        System.err.println("jftrace record: could not write the text of " + data + " to " + output);
                    }
                }
            } else {
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
        return agentOptions(traceFile, false);
    }

    String agentOptions(Path traceFile, boolean exporting) {
        List<String> o = tracing.agentOptions();
        o.add("output=" + traceFile);
        if (data != null || exporting) {
            o.add("data=" + traceFile.resolveSibling("data-%p.jftrace"));
            o.add("data_summary=0"); // this command says what the data holds, under its final name
        }
        return TracingOptions.join(o);
    }

    /** The JVMs' data files, concatenated (each is a self-contained frame), in the order they ended. */
    private void writeData(Path dir) throws IOException {
        List<Path> files = dataFiles(dir);
        concatenate(files, data);
        if (files.isEmpty()) {
            System.err.println("jftrace record: the command started no JVM that wrote trace data");
            return;
        }
        try {
            for (Jvm j : DataFile.read(data, null).jvms) {
                System.err.println("jftrace record: " + summary(j, files.size() > 1));
            }
        } catch (IOException e) {
            System.err.println("jftrace record: " + data + ": " + e.getMessage());
        }
        if (output == null) {
            System.err.println("jftrace record: wrote " + data + " (" + files.size() + (files.size() == 1 ? " JVM" : " JVMs")
                    + "); 'jftrace report " + data + "' prints it");
        }
    }

    /** The JVMs' data files in {@code dir}, in the order they were last written. */
    private static List<Path> dataFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith("data-"))
                    .sorted(Comparator.comparing(f -> f.toFile().lastModified())).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void concatenate(List<Path> files, Path to) throws IOException {
        try (java.io.OutputStream out = Files.newOutputStream(to)) {
            for (Path f : files) {
                Files.copy(f, out);
            }
        }
    }

    /** What one JVM's data holds, and what it lost: the line trace-cmd prints per CPU at the end. */
    static String summary(Jvm j, boolean withPid) {
        String who = withPid ? "pid " + j.pid + ": " : "";
        if (j.lost() == 0) {
            return String.format(java.util.Locale.ROOT, "%s%,d events, none lost", who, j.kept());
        }
        return String.format(java.util.Locale.ROOT, "%s%,d events; LOST %,d of %,d events (the drain could not keep up:"
                + " a larger --buffer-size-kb or fewer traced functions helps)", who, j.kept(), j.lost(), j.written());
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
