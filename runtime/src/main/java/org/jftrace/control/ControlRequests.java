package org.jftrace.control;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jftrace.data.TraceDrain;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.trace.TraceInstance;
import org.jftrace.trace.TraceOptions;
import org.jftrace.trace.TracePipeText;
import org.jftrace.trace.Tracefs;

/**
 * The requests of one control connection, one line each ({@code VERB [PATH [VALUE]]}, VALUE being
 * the rest of the line):
 *
 * <pre>
 * cat PATH              read a file; PATH .../trace_pipe streams until the client closes
 * write PATH VALUE      echo VALUE &gt; PATH
 * append PATH VALUE     echo VALUE &gt;&gt; PATH
 * mkdir instances/NAME  rmdir instances/NAME
 * ls [DIR]              the files of the root, an instance, options/ or instances/
 * attach OPTIONS        jftrace attach: instrument and trace; detached by "detach" or by closing
 * data start FILE       stream the top instance's records to FILE (trace data, for jftrace report)
 * data start-instance NAME FILE   the same for instances/NAME
 * data stop             finish the file: answers with what it holds and what was lost
 * ping                  "jftrace PID"
 * </pre>
 *
 * Besides tracefs's files, {@code jftrace/patch_stats} (the last patch batch) and
 * {@code jftrace/report} (the agent's instrumentation report) can be read.
 */
final class ControlRequests {

    static final List<String> VERBS = List.of("cat", "write", "append", "mkdir", "rmdir", "ls", "attach", "data", "ping");

    /** A recording started by "data start", stopped with the attach session that runs beside it. */
    private static volatile boolean dataStarted;

    private final Connection conn;

    ControlRequests(Connection conn) {
        this.conn = conn;
    }

    /**
     * After a write to a filter file: a one-line note if the filter now selects more than
     * {@link Tracefs#MANY_FUNCTIONS} functions (the write is made all the same), else nothing.
     */
    static String manyFunctionsNote(String path) {
        if (!path.endsWith("set_ftrace_filter")) {
            return "";
        }
        String listing = Tracefs.jvm().read(path);
        long n = listing.startsWith("#### all functions enabled") ? Ftrace.records().size() : listing.lines().count();
        return n > Tracefs.MANY_FUNCTIONS ? "jftrace: " + n + " functions selected; tracing them all may slow this JVM\n" : "";
    }

    /** Serves requests until the client closes or misbehaves. */
    void serve() throws IOException {
        for (;;) {
            String line;
            try {
                line = conn.readLine(ControlServer.REQUEST_MILLIS);
            } catch (Connection.ProtocolException e) {
                conn.err(e.getMessage(), ControlServer.STALL_MILLIS);
                conn.linger();
                return;
            }
            if (line == null) {
                return;
            }
            if (!handle(line)) {
                return;
            }
        }
    }

    /** @return whether the connection can take another request */
    private boolean handle(String line) throws IOException {
        int sp = line.indexOf(' ');
        String verb = sp < 0 ? line : line.substring(0, sp);
        String rest = sp < 0 ? "" : line.substring(sp + 1);
        int sp2 = rest.indexOf(' ');
        String path = sp2 < 0 ? rest : rest.substring(0, sp2);
        String value = sp2 < 0 ? "" : rest.substring(sp2 + 1);
        try {
            switch (verb) {
                case "ping":
                    conn.ok("jftrace " + ProcessHandle.current().pid() + "\n", ControlServer.STALL_MILLIS);
                    return true;
                case "cat":
                    if (path.equals("trace_pipe") || path.endsWith("/trace_pipe")) {
                        stream(path);
                        return false;
                    }
                    conn.ok(read(path), ControlServer.STALL_MILLIS);
                    return true;
                case "write":
                case "append":
                    requirePath(verb, path);
                    Tracefs.jvm().write(path, value, verb.equals("append"));
                    conn.ok(manyFunctionsNote(path), ControlServer.STALL_MILLIS);
                    return true;
                case "mkdir":
                    Tracefs.jvm().mkdirInstance(instanceName(verb, path));
                    conn.ok("", ControlServer.STALL_MILLIS);
                    return true;
                case "rmdir":
                    Tracefs.jvm().rmdirInstance(instanceName(verb, path));
                    conn.ok("", ControlServer.STALL_MILLIS);
                    return true;
                case "ls":
                    conn.ok(list(path), ControlServer.STALL_MILLIS);
                    return true;
                case "attach":
                    attach(rest);
                    return false;
                case "data":
                    conn.ok(data(path, value), ControlServer.STALL_MILLIS);
                    return true;
                default:
                    conn.err("unknown request '" + clip(verb) + "' (known: " + String.join(" ", VERBS) + ")",
                            ControlServer.STALL_MILLIS);
                    return true;
            }
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            conn.err(e.getMessage(), ControlServer.STALL_MILLIS);
            return true;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            conn.err("internal error: " + t, ControlServer.STALL_MILLIS);
            return true;
        }
    }

    private static void requirePath(String verb, String path) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException(verb + ": no file given");
        }
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static String instanceName(String verb, String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (!p.startsWith("instances/") || p.indexOf('/', 10) >= 0) {
            throw new IllegalArgumentException(verb + ": only instances/NAME can be made or removed, not '" + clip(path) + "'");
        }
        return p.substring(10);
    }

    private static String read(String path) {
        requirePath("cat", path);
        switch (path) {
            case "jftrace/patch_stats":
                return Ftrace.patchStats() + "\n";
            case "jftrace/report": {
                AttachHandler h = ControlServer.attachHandler();
                if (h == null) {
                    throw new IllegalArgumentException("jftrace/report: no agent in this JVM");
                }
                return h.report();
            }
            default:
                return Tracefs.jvm().read(path);
        }
    }

    /** {@code ls}: the files of the root, of {@code instances/NAME}, of {@code options}, or the instances. */
    static String list(String dir) {
        String d = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
        StringBuilder sb = new StringBuilder();
        if (d.isEmpty() || (d.startsWith("instances/") && d.indexOf('/', 10) < 0)) {
            if (!d.isEmpty()) {
                Tracefs.jvm().instanceFor(d + "/trace"); // no such instance: throws
            }
            List<String> names = new ArrayList<>(Tracefs.FILES);
            names.add("trace_pipe");
            names.add("options/");
            if (d.isEmpty()) {
                names.add("instances/");
                names.add("jftrace/");
            }
            names.sort(null);
            names.forEach(n -> sb.append(n).append('\n'));
        } else if (d.equals("options") || d.endsWith("/options")) {
            for (String n : TraceOptions.names()) {
                sb.append(n).append('\n');
            }
        } else if (d.equals("instances")) {
            return Tracefs.jvm().read("instances");
        } else if (d.equals("jftrace")) {
            sb.append("patch_stats\nreport\n");
        } else {
            throw new IllegalArgumentException("ls: no such directory '" + clip(dir) + "'");
        }
        return sb.toString();
    }

    /** {@code cat trace_pipe}: consumes and sends the instance's records until the client stops. */
    private void stream(String path) throws IOException, InterruptedException {
        TraceInstance ti = Tracefs.jvm().instanceFor(path);
        TracePipeText pipe = new TracePipeText(ti);
        conn.data("", ControlServer.STALL_MILLIS); // the stream is open: the client may stop it now
        while (!conn.clientStopped()) {
            String text = pipe.next(200, 4096);
            if (!text.isEmpty()) {
                conn.data(text, ControlServer.STALL_MILLIS);
            }
        }
    }

    /**
     * {@code attach OPTIONS}: runs the agent's attach, answers with its summary, then waits for
     * {@code detach} or for the client to go, and detaches either way.
     */
    private void attach(String options) throws IOException {
        AttachHandler h = ControlServer.attachHandler();
        if (h == null) {
            conn.err("attach: no agent in this JVM", ControlServer.STALL_MILLIS);
            return;
        }
        AttachHandler.Session session;
        try {
            session = h.attach(options);
        } catch (IllegalArgumentException e) {
            conn.err(e.getMessage(), ControlServer.STALL_MILLIS);
            return;
        }
        try {
            conn.ok(session.summary(), ControlServer.STALL_MILLIS);
            String next = conn.readLine(0); // as long as the session lasts; null when the client is gone
            session.detach();
            if (next != null) {
                conn.ok("", ControlServer.STALL_MILLIS);
            }
        } finally {
            try {
                if (dataStarted) { // the client is gone: a recording it started must not run on
                    stopData(); // before the detach, whose switch to nop empties the buffers
                }
            } finally {
                session.detach();
            }
        }
    }

    /** {@code data start FILE}, {@code data start-instance NAME FILE}, {@code data stop}. */
    private static String data(String how, String value) throws IOException {
        switch (how) {
            case "start":
            case "start-instance": {
                TraceInstance ti = Tracefs.jvm().top();
                String file = value;
                if (how.equals("start-instance")) {
                    int sp = value.indexOf(' ');
                    String name = sp < 0 ? value : value.substring(0, sp);
                    ti = Tracefs.jvm().instance("instances/" + name);
                    file = sp < 0 ? "" : value.substring(sp + 1);
                }
                if (file.isEmpty() || !java.nio.file.Path.of(file).isAbsolute()) {
                    throw new IllegalArgumentException("data start: '" + clip(file) + "' is not an absolute file name");
                }
                try {
                    TraceDrain.startRecording(ti, java.nio.file.Path.of(file));
                } catch (IOException e) {
                    throw new IllegalArgumentException("data start: cannot write '" + clip(file) + "': " + e.getMessage());
                }
                dataStarted = true;
                return "jftrace: streaming the trace data to " + file + "\n";
            }
            case "stop": {
                String line = stopData();
                if (line == null) {
                    throw new IllegalStateException("data stop: no trace data is being written");
                }
                return line;
            }
            default:
                throw new IllegalArgumentException("data: unknown action '" + clip(how) + "' (start FILE, start-instance NAME FILE, stop)");
        }
    }

    private static String stopData() throws IOException {
        dataStarted = false;
        TraceDrain.Summary s = TraceDrain.stopRecording();
        return s == null ? null : "jftrace: " + s.line() + "\n";
    }
}
