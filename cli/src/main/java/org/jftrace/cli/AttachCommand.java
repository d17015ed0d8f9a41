package org.jftrace.cli;

import com.sun.tools.attach.VirtualMachineDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jftrace.cli.export.ExportOptions;
import org.jftrace.cli.export.ExportSession;
import org.jftrace.cli.export.ExportTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jftrace attach PID}: loads the agent into a running JVM (once; later attaches reuse it),
 * instruments the loaded classes the options select, traces until Ctrl-C or {@code --duration},
 * prints the trace, and leaves the JVM as it found it: tracer nop, tracing off, no function enabled.
 *
 * <p>The tracing is one session on the control socket: the JVM detaches it when this command says
 * so, and also when the connection drops (this command killed), so a JVM is never left tracing.
 */
@Command(name = "attach", mixinStandardHelpOptions = true,
        description = {"Trace a running JVM: load the agent, instrument the loaded classes, trace until Ctrl-C or",
                "--duration, print the trace, then switch tracing off again."})
final class AttachCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PID", description = "The JVM (see jftrace list).")
    long pid;

    @Mixin
    TracingOptions tracing = new TracingOptions();

    @Option(names = "-B", paramLabel = "INSTANCE",
            description = "Trace into a new instance instances/INSTANCE (removed at the end), leaving the top level alone.")
    String instance;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Stop after this long (e.g. 10s, 500ms); default: at Ctrl-C.")
    String duration;

    @Option(names = "-o", paramLabel = "FILE", description = "Write the trace here instead of standard output.")
    Path output;

    /**
     * buffer_size_kb while recording to disk, unless given: the agent's default for {@code data=}. A
     * buffer grows to it only while its thread outruns the drain, so it costs memory only then.
     */
    static final int RECORDING_BUFFER_KB = 8192;

    @Option(names = "--data", paramLabel = "FILE",
            description = "Stream every traced call to this file while tracing (written by the traced JVM), for"
                    + " 'jftrace report'. With --data and no -o, the text is not printed.")
    Path data;

    @Mixin
    ExportOptions export = new ExportOptions();

    /** Where the traced JVM records: --data's file, or for --export alone a temporary one, deleted at the end. */
    private Path recordTo;
    private boolean recordToTemp;
    private ExportSession exporting;

    @Option(names = "--first-event", hidden = true,
            description = "Measure: report when the first event reached trace_pipe (consumes it).")
    boolean firstEvent;

    private final AtomicBoolean finished = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        long micros = duration == null ? -1 : Durations.micros(duration);
        List<ExportTarget> targets = export.targets(tracing.tracer, tracing.clock);
        recordTo = data;
        String opts = agentOptions();
        VirtualMachineDescriptor d = Jvms.find(pid);
        Path found = Jvms.findSocket(pid, d);
        boolean loaded = found == null;
        Path socket = loaded ? Jvms.loadAgent(d, Jars.self()) : found;
        long t1 = System.nanoTime();
        ControlClient session;
        try {
            session = ControlClient.connect(pid, socket);
        } catch (java.io.IOException e) {
            throw new CliError("cannot connect to the control socket of JVM " + pid + ": " + e.getMessage());
        }
        String summary;
        try {
            summary = session.request("attach", opts);
        } catch (CliError e) {
            session.close();
            throw e;
        }
        if (!targets.isEmpty() && recordTo == null) {
            recordTo = Files.createTempFile("jftrace-export-", ".jftrace");
            recordToTemp = true;
        }
        if (recordTo != null) {
            try (ControlClient c = ControlClient.connect(pid, socket)) {
                String file = recordTo.toAbsolutePath().toString();
                System.err.print(instance == null ? c.request("data", "start", file)
                        : c.request("data", "start-instance", instance + " " + file));
            } catch (CliError | java.io.IOException e) {
                session.request("detach");
                session.close();
                deleteTemp();
                throw new CliError((data != null ? "attach --data: " : "attach --export: ") + e.getMessage());
            }
            if (!targets.isEmpty()) { // the JVM streams its records to the file: the export follows it as it grows
                Path followed = recordTo;
                exporting = ExportSession.start(targets, tracing.threshNanos(), () -> List.of(followed));
            }
        }
        long t2 = System.nanoTime();
        System.err.print(summary);
        System.err.printf("jftrace: attached to JVM %d in %.0f ms (%s %.0f ms)%n", pid, (t2 - t0) / 1e6,
                loaded ? "agent loaded in" : "agent already there,", (t1 - t0) / 1e6);
        if (firstEvent) { // in the background: there may be none before the duration is over
            Thread w = new Thread(() -> {
                try {
                    reportFirstEvent(socket, t0);
                } catch (java.io.IOException | RuntimeException e) {
                    System.err.println("jftrace: first event: " + e.getMessage());
                }
            }, "jftrace-first-event");
            w.setDaemon(true);
            w.start();
        }
        Thread hook = new Thread(() -> finish(socket, session), "jftrace-detach");
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.println("jftrace: tracing JVM " + pid + (micros < 0 ? "; Ctrl-C to stop" : " for " + duration));
        long deadline = micros < 0 ? Long.MAX_VALUE : System.nanoTime() + micros * 1000;
        while (System.nanoTime() < deadline) {
            if (done.await(Math.min(200, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS)) {
                return 0;
            }
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                finished.set(true);
                if (exporting != null) { // what it recorded before it went is still worth sending
                    exporting.finish();
                }
                deleteTemp();
                throw new CliError("JVM " + pid + " exited while being traced");
            }
        }
        finish(socket, session);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // the hook runs anyway and finds the work done
        }
        return 0;
    }

    /** Stops recording, prints the trace, detaches the session. Once, from the main thread or the hook. */
    private void finish(Path socket, ControlClient session) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        String prefix = instance == null ? "" : "instances/" + instance + "/";
        try (ControlClient c = ControlClient.connect(pid, socket)) {
            c.request("write", prefix + "tracing_on", "0");
            if (recordTo != null) { // the records are in the data file; the text, if asked for, comes from it
                System.err.print(c.request("data", "stop")); // what the file holds, and what was lost
                if (tracing.functionProfile) {
                    System.err.print(c.request("cat", prefix + "trace_stat/function"));
                }
                if (exporting != null) {
                    exporting.finish();
                }
                if (output != null) {
                    new picocli.CommandLine(new ReportCommand()).execute(recordTo.toString(), "-o", output.toString());
                }
                return;
            }
            String trace = c.request("cat", prefix + "trace");
            if (tracing.functionProfile) {
                trace += c.request("cat", prefix + "trace_stat/function");
            }
            if (output == null) {
                System.out.print(trace);
                System.out.flush();
            } else {
                Files.writeString(output, trace);
            }
        } catch (Exception e) {
            System.err.println("jftrace: cannot read the trace of JVM " + pid + ": " + e.getMessage());
        } finally {
            try {
                session.request("detach");
            } catch (CliError e) {
                System.err.println("jftrace: detach: " + e.getMessage());
            }
            session.close();
            deleteTemp();
            done.countDown();
        }
    }

    private void deleteTemp() {
        if (recordToTemp) {
            try {
                Files.deleteIfExists(recordTo);
            } catch (java.io.IOException e) {
                System.err.println("jftrace: cannot delete " + recordTo + ": " + e.getMessage());
            }
        }
    }

    private void reportFirstEvent(Path socket, long t0) throws java.io.IOException {
        String prefix = instance == null ? "" : "instances/" + instance + "/";
        try (ControlClient c = ControlClient.connect(pid, socket)) {
            c.stream(chunk -> false, "cat", prefix + "trace_pipe");
        }
        System.err.printf("jftrace: first event in trace_pipe %.0f ms after the attach started%n", (System.nanoTime() - t0) / 1e6);
    }

    String agentOptions() {
        if ((data != null || export.any()) && tracing.bufferSizeKb == null) {
            tracing.bufferSizeKb = RECORDING_BUFFER_KB;
        }
        List<String> o = tracing.agentOptions();
        if (instance != null) {
            o.add(o.size() - 1, "instance=" + instance);
        }
        return TracingOptions.join(o);
    }
}
