package org.jftrace.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jftrace.cli.report.CallTree;
import org.jftrace.cli.report.FlameGraphHtml;
import org.jftrace.cli.report.Jfr;
import org.jftrace.cli.report.Perfetto;
import org.jftrace.cli.report.Slices;
import org.jftrace.cli.report.TraceData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jftrace report FILE}: the trace data that {@code jftrace record --data FILE} wrote, as ftrace
 * text (like {@code trace-cmd report}) or as pictures: a Perfetto / chrome://tracing timeline, collapsed
 * stacks for flame graphs, a self-contained flame graph page, JFR events.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Print or convert trace data written by 'jftrace record --data FILE'.",
                "Formats: text (the ftrace text, default), perfetto (Chrome trace-event JSON for ui.perfetto.dev and"
                        + " chrome://tracing), folded (collapsed stacks: frame;frame count), html (an interactive flame"
                        + " graph page), jfr (JFR events for 'jfr print' and JDK Mission Control; needs -o)."})
final class ReportCommand implements Callable<Integer> {

    enum Format { text, perfetto, folded, html, jfr }

    enum Weight { time, calls }

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), perfetto, folded, html or jfr.")
    Format format;

    @Option(names = "-o", paramLabel = "FILE", description = "Write here instead of standard output (required for jfr).")
    Path output;

    @Option(names = "--folded-weight", paramLabel = "WEIGHT", defaultValue = "time",
            description = "folded: count each stack by its self time in the clock's unit (time: ns for the mono clock; default) or by its calls.")
    Weight weight;

    @Option(names = "--per-thread", description = "folded, html: put each thread's name as the first frame of its stacks.")
    boolean perThread;

    @Option(names = "--descriptor", description = "Name functions with their descriptors, as the sym-descriptor option does.")
    boolean descriptor;

    @Option(names = "--title", paramLabel = "TITLE", description = "html: the page's title.")
    String title;

    @Parameters(paramLabel = "FILE", arity = "1", description = "Trace data from 'jftrace record --data FILE' (or agent option data=FILE).")
    Path file;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new CliError("report: no such file '" + file + "'", 2);
        }
        if (!TraceData.isDataFile(file)) {
            if (format == Format.text) { // an ftrace text trace (record -o): print it as it is
                try (PrintStream out = out()) {
                    out.print(Files.readString(file));
                }
                return 0;
            }
            throw new CliError("report: '" + file + "' is not jftrace trace data (record it with 'jftrace record --data FILE')", 2);
        }
        TraceData data;
        try {
            data = TraceData.read(file);
        } catch (NoSuchFileException e) {
            throw new CliError("report: no such file '" + file + "'", 2);
        } catch (IOException e) {
            throw new CliError("report: " + file + ": " + e.getMessage(), 2);
        }
        switch (format) {
            case text:
                text(data);
                return 0;
            case perfetto:
                try (Writer w = writer()) {
                    Perfetto.write(data, descriptor, w);
                }
                return 0;
            case folded: {
                CallTree.Node tree = graphTree(data);
                try (Writer w = writer()) {
                    w.write(CallTree.folded(tree, weight == Weight.calls));
                }
                return 0;
            }
            case html: {
                CallTree.Node tree = graphTree(data);
                List<Slices.Track> tracks = Slices.tracks(data);
                StringBuilder sub = new StringBuilder();
                for (TraceData.Jvm j : data.jvms) {
                    sub.append(sub.length() == 0 ? "" : "; ").append("pid ").append(j.pid).append(": ").append(j.description);
                }
                sub.append(" | ").append(tracks.stream().mapToLong(t -> t.slices.size()).sum()).append(" calls, trace_clock ")
                        .append(data.jvms.get(0).clock);
                String page = FlameGraphHtml.render(title != null ? title : "jftrace flame graph: " + file.getFileName(),
                        sub.toString(), data.jvms.get(0).isCounter() ? "counts" : "ns", tree, CallTree.inverted(tree),
                        CallTree.functions(tracks, descriptor));
                try (Writer w = writer()) {
                    w.write(page);
                }
                return 0;
            }
            case jfr: {
                if (output == null) {
                    throw new CliError("report: --format jfr needs -o FILE.jfr (it writes a binary file)", 2);
                }
                graphTree(data);
                long n = Jfr.write(data, output);
                System.err.println("jftrace report: wrote " + n + " jftrace.FunctionCall events to " + output);
                return 0;
            }
            default:
                throw new IllegalStateException();
        }
    }

    private CallTree.Node graphTree(TraceData data) {
        boolean any = false;
        for (TraceData.Jvm j : data.jvms) {
            any |= Slices.hasGraph(j);
        }
        if (!any) {
            throw new CliError("report: '" + file + "' has no function_graph records (tracer "
                    + data.jvms.get(0).tracer + "): record with -p function_graph for --format " + format, 2);
        }
        return CallTree.build(Slices.tracks(data), perThread, descriptor);
    }

    private void text(TraceData data) throws IOException {
        try (PrintStream out = out()) {
            for (TraceData.Jvm j : data.jvms) {
                if (data.jvms.size() > 1) {
                    out.println("# jvm " + j.pid);
                }
                out.print(j.text != null ? j.text : "# (no text in the data)\n");
            }
        }
    }

    private PrintStream out() throws IOException {
        if (output == null) {
            return new PrintStream(System.out, false, StandardCharsets.UTF_8) {
                @Override
                public void close() {
                    flush();
                }
            };
        }
        return new PrintStream(Files.newOutputStream(output), false, StandardCharsets.UTF_8);
    }

    private Writer writer() throws IOException {
        if (output == null) {
            return new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }
        return Files.newBufferedWriter(output, StandardCharsets.UTF_8);
    }
}
