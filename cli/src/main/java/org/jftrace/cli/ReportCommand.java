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
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jftrace.cli.perfetto.PerfettoTrace;
import org.jftrace.cli.report.BadDataException;
import org.jftrace.cli.report.CallTree;
import org.jftrace.cli.report.Calls;
import org.jftrace.cli.report.ChromeJson;
import org.jftrace.cli.report.DataFile;
import org.jftrace.cli.report.FlameGraphHtml;
import org.jftrace.cli.report.Jfr;
import org.jftrace.cli.report.Jvm;
import org.jftrace.cli.report.Loss;
import org.jftrace.cli.report.Merge;
import org.jftrace.cli.report.Progress;
import org.jftrace.cli.report.TextReport;
import org.jftrace.cli.tracedat.TraceDat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jftrace report FILE}: the trace data that {@code jftrace record --data FILE} wrote, as ftrace
 * text (like {@code trace-cmd report}), as other tools' files (Perfetto's protobuf trace, Chrome trace-event
 * JSON, trace-cmd's trace.dat, JFR events) or as pictures: collapsed stacks for flame graphs, a
 * self-contained flame graph page.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Print or convert trace data written by 'jftrace record --data FILE'.",
                "Formats: text (the ftrace text, default), perfetto (Perfetto's protobuf trace for ui.perfetto.dev and"
                        + " trace_processor; needs -o), chrome-json (Chrome trace-event JSON for ui.perfetto.dev and"
                        + " chrome://tracing), trace-dat (trace-cmd's trace.dat for trace-cmd report and KernelShark;"
                        + " needs -o), folded (collapsed stacks: frame;frame count), html (an interactive flame"
                        + " graph page), jfr (JFR events for 'jfr print' and JDK Mission Control; needs -o)."})
final class ReportCommand implements Callable<Integer> {

    /** The formats; the binary ones need -o. */
    enum Format {
        text("text", false), perfetto("perfetto", true), chromeJson("chrome-json", false), traceDat("trace-dat", true),
        folded("folded", false), html("html", false), jfr("jfr", true);

        final String label;
        final boolean binary;

        Format(String label, boolean binary) {
            this.label = label;
            this.binary = binary;
        }

        static Format of(String s) {
            StringBuilder all = new StringBuilder();
            for (Format f : values()) {
                if (f.label.equals(s)) {
                    return f;
                }
                all.append(all.length() == 0 ? "" : ", ").append(f.label);
            }
            throw new CliError("report: unknown format '" + s + "' (" + all + ")", 2);
        }
    }

    enum Weight { time, calls }

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), perfetto, chrome-json, trace-dat, folded, html or jfr.")
    String formatName;

    Format format;

    @Option(names = "-o", paramLabel = "FILE", description = "Write here instead of standard output (required for perfetto,"
            + " trace-dat and jfr).")
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
        format = Format.of(formatName);
        if (!Files.isRegularFile(file)) {
            throw new CliError("report: no such file '" + file + "'", 2);
        }
        DataFile.Kind kind = DataFile.kind(file);
        if (kind == DataFile.Kind.FTRACE_TEXT) {
            if (format == Format.text) { // an ftrace text trace (record -o): print it as it is
                try (PrintStream out = out()) {
                    Files.copy(file, out);
                }
                return 0;
            }
            throw new CliError("report: '" + file + "' is ftrace text, not jftrace trace data (record it with"
                    + " 'jftrace record --data FILE')", 2);
        }
        if (format.binary && output == null) {
            String ext = format == Format.jfr ? "jfr" : format == Format.perfetto ? "pftrace" : "dat";
            throw new CliError("report: --format " + format.label + " needs -o FILE." + ext + " (it writes a binary file)"
                    + (format == Format.perfetto ? "; the JSON is --format chrome-json" : ""), 2);
        }
        Progress progress = Progress.atTerminal();
        DataFile data;
        try {
            if (progress != null) {
                progress.phase("reading", Files.size(file));
            }
            data = DataFile.read(file, progress);
        } catch (NoSuchFileException e) {
            throw new CliError("report: no such file '" + file + "'", 2);
        } catch (IOException e) {
            throw new CliError("report: " + file + ": " + e.getMessage(), 2);
        }
        for (String note : data.notes) {
            System.err.println("jftrace report: " + file + ": " + note);
        }
        String truncated = data.truncationWarning();
        if (truncated != null) {
            System.err.println("jftrace report: " + truncated);
        }
        if ((format == Format.folded || format == Format.html || format == Format.jfr) && !data.hasGraph()) {
            throw new CliError("report: '" + file + "' has no function_graph records (tracer "
                    + (data.jvms.isEmpty() ? "none" : data.jvms.get(0).tracer) + "): record with -p function_graph for --format "
                    + format.label, 2);
        }
        if (progress != null) {
            progress.phase("converting", data.records());
        }
        try {
            convert(data, progress);
        } catch (BadDataException e) {
            throw new CliError("report: " + file + ": " + e.getMessage(), 2);
        } finally {
            if (progress != null) {
                progress.finish();
            }
        }
        return 0;
    }

    private void convert(DataFile data, Progress progress) throws IOException {
        long written = data.written();
        long lost = data.lost();
        switch (format) {
            case text:
                try (Writer w = writer()) {
                    TextReport.write(data, descriptor, w, progress);
                }
                return;
            case chromeJson:
                try (Writer w = writer()) {
                    ChromeJson.write(data, descriptor, w, progress);
                }
                return;
            case perfetto: {
                PerfettoTrace.Result r = PerfettoTrace.write(data, descriptor, output, progress);
                System.err.printf(Locale.ROOT, "jftrace report: wrote %,d slices and %,d instant events to %s (%,d bytes)%s%n",
                        r.slices, r.instants, output, r.bytes, lost == 0 ? "" : String.format(Locale.ROOT,
                                "; %,d of %,d records were lost (instant events \"LOST\" where they went missing)", lost, written));
                return;
            }
            case traceDat: {
                TraceDat.Result r = TraceDat.write(data, descriptor, output, progress);
                System.err.printf(Locale.ROOT, "jftrace report: wrote %,d events on %d CPUs to %s%n", r.events, r.cpus, output);
                if (lost > 0) {
                    System.err.printf(Locale.ROOT, "jftrace report: %,d of %,d records were lost: trace-cmd shows %,d as"
                            + " 'CPU:N [M EVENTS DROPPED]'%s%n", lost, written, r.lostShown, r.lostUnshown == 0 ? ""
                            : String.format(Locale.ROOT, "; %,d at the end of a buffer have no line", r.lostUnshown));
                }
                return;
            }
            case folded: {
                CallTree tree = tree(data, progress);
                try (Writer w = writer()) {
                    CallTree.folded(tree.root, weight == Weight.calls, w);
                }
                if (lost > 0) { // folded has no comment syntax that every tool skips
                    System.err.printf(Locale.ROOT, "jftrace report: %,d of %,d records were lost (%s): the counts may be too"
                            + " low%n", lost, written, Loss.percent(lost, written));
                }
                return;
            }
            case html: {
                CallTree tree = tree(data, progress);
                StringBuilder sub = new StringBuilder();
                for (Jvm j : data.jvms) {
                    sub.append(sub.length() == 0 ? "" : "; ").append("pid ").append(j.pid).append(": ").append(j.description);
                }
                sub.append(" | ").append(String.format(Locale.ROOT, "%,d", tree.calls)).append(" calls, trace_clock ")
                        .append(data.jvms.get(0).clock);
                String loss = lost == 0 ? "" : String.format(Locale.ROOT, "%,d of %,d events were lost (%s): the figures below"
                        + " may be too low (self times, call counts and totals count only the calls the file holds).",
                        lost, written, Loss.percent(lost, written));
                if (data.truncatedAt >= 0) {
                    loss += (loss.isEmpty() ? "" : " ") + String.format(Locale.ROOT, "The file is truncated at byte %,d (%s):"
                            + " the calls after that are missing.", data.truncatedAt, data.truncation);
                }
                String page = FlameGraphHtml.render(title != null ? title : "jftrace flame graph: " + file.getFileName(),
                        sub.toString(), loss, data.jvms.get(0).isCounter() ? "counts" : "ns", tree.root,
                        CallTree.inverted(tree.root), tree.functions());
                try (Writer w = writer()) {
                    w.write(page);
                }
                return;
            }
            case jfr: {
                Jfr.Result r = Jfr.write(data, output, progress);
                System.err.printf(Locale.ROOT, "jftrace report: wrote %d jftrace.FunctionCall events to %s%s%n", r.callsKept,
                        output, lost == 0 ? "" : String.format(Locale.ROOT, "; %,d of %,d records were lost (jftrace.LostEvents"
                                + " events)", lost, written));
                if (r.callsKept != r.calls) {
                    System.err.println("jftrace report: JFR kept " + r.callsKept + " of " + r.calls + " events");
                }
                return;
            }
            default:
                throw new IllegalStateException();
        }
    }

    private CallTree tree(DataFile data, Progress progress) throws IOException {
        CallTree tree = new CallTree(perThread, descriptor, data.jvms.size() > 1);
        for (Jvm j : data.jvms) {
            tree.jvm(j);
            Calls calls = new Calls(j, tree);
            Merge.run(data, j, (r, c) -> {
                if (r.isGraph()) {
                    calls.record(r);
                }
            }, progress);
            calls.finish();
        }
        return tree;
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
