package org.jftrace.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jftrace PID VERB ...}: tracefs's files of a running JVM that has the agent, through its
 * control socket. {@code cat} and {@code write}/{@code append} are {@code cat FILE} and
 * {@code echo VALUE > FILE} / {@code >> FILE} on {@code /sys/kernel/tracing}.
 */
@Command(name = "control", mixinStandardHelpOptions = true,
        description = {"Read and write the tracefs files of a running JVM (jftrace PID VERB ... is short for",
                "jftrace control PID VERB ...). FILE is a tracefs path: current_tracer, set_ftrace_filter,",
                "trace, trace_pipe, options/funcgraph-tail, instances/NAME/trace, ..."},
        subcommands = {ControlCommand.Cat.class, ControlCommand.Write.class, ControlCommand.Append.class,
                ControlCommand.Mkdir.class, ControlCommand.Rmdir.class, ControlCommand.Ls.class})
final class ControlCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "PID", description = "The JVM (see jftrace list).")
    long pid;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static String value(List<String> words) {
        return words == null ? "" : String.join(" ", words);
    }

    @Command(name = "cat", mixinStandardHelpOptions = true,
            description = {"Print FILE. trace_pipe (or instances/NAME/trace_pipe) streams and consumes the trace",
                    "until Ctrl-C, --duration or --count."})
    static final class Cat implements Callable<Integer> {
        @ParentCommand
        ControlCommand parent;

        @Parameters(index = "0", paramLabel = "FILE")
        String file;

        @Option(names = "--duration", paramLabel = "DURATION", description = "trace_pipe: stop after this long (e.g. 5s).")
        String duration;

        @Option(names = "--count", paramLabel = "N", description = "trace_pipe: stop after N lines.")
        Integer count;

        @Override
        public Integer call() {
            boolean pipe = file.equals("trace_pipe") || file.endsWith("/trace_pipe");
            if (!pipe && (duration != null || count != null)) {
                throw new CliError("--duration and --count apply to trace_pipe only", 2);
            }
            try (ControlClient c = Jvms.control(parent.pid)) {
                if (!pipe) {
                    System.out.print(c.request("cat", file));
                    System.out.flush();
                    return 0;
                }
                if (duration != null) {
                    long micros = Durations.micros(duration);
                    Thread stopper = new Thread(() -> {
                        try {
                            TimeUnit.MICROSECONDS.sleep(micros);
                        } catch (InterruptedException e) {
                            return;
                        }
                        c.close();
                    }, "jftrace-duration");
                    stopper.setDaemon(true);
                    stopper.start();
                }
                int[] left = {count == null ? Integer.MAX_VALUE : count};
                if (left[0] <= 0) {
                    return 0;
                }
                c.stream(chunk -> {
                    int end = 0;
                    while (left[0] > 0 && end < chunk.length()) {
                        int nl = chunk.indexOf('\n', end);
                        end = nl < 0 ? chunk.length() : nl + 1;
                        if (nl >= 0) {
                            left[0]--;
                        }
                    }
                    System.out.print(chunk.substring(0, end));
                    System.out.flush();
                    return left[0] > 0;
                }, "cat", file);
                return 0;
            }
        }
    }

    @Command(name = "write", mixinStandardHelpOptions = true, description = "echo VALUE > FILE.")
    static final class Write implements Callable<Integer> {
        @ParentCommand
        ControlCommand parent;

        @Parameters(index = "0", paramLabel = "FILE")
        String file;

        @Parameters(index = "1..*", paramLabel = "VALUE", arity = "0..*", description = "Joined with spaces; none writes an empty line.")
        List<String> value;

        @Override
        public Integer call() {
            try (ControlClient c = Jvms.control(parent.pid)) {
                System.err.print(c.request("write", file, value(value))); // a note, if any
            }
            return 0;
        }
    }

    @Command(name = "append", mixinStandardHelpOptions = true, description = "echo VALUE >> FILE.")
    static final class Append implements Callable<Integer> {
        @ParentCommand
        ControlCommand parent;

        @Parameters(index = "0", paramLabel = "FILE")
        String file;

        @Parameters(index = "1..*", paramLabel = "VALUE", arity = "0..*")
        List<String> value;

        @Override
        public Integer call() {
            try (ControlClient c = Jvms.control(parent.pid)) {
                System.err.print(c.request("append", file, value(value))); // a note, if any
            }
            return 0;
        }
    }

    @Command(name = "mkdir", mixinStandardHelpOptions = true, description = "mkdir instances/NAME: a new tracing instance.")
    static final class Mkdir implements Callable<Integer> {
        @ParentCommand
        ControlCommand parent;

        @Parameters(index = "0", paramLabel = "instances/NAME")
        String dir;

        @Override
        public Integer call() {
            try (ControlClient c = Jvms.control(parent.pid)) {
                c.request("mkdir", dir);
            }
            return 0;
        }
    }

    @Command(name = "rmdir", mixinStandardHelpOptions = true, description = "rmdir instances/NAME: stop and remove an instance.")
    static final class Rmdir implements Callable<Integer> {
        @ParentCommand
        ControlCommand parent;

        @Parameters(index = "0", paramLabel = "instances/NAME")
        String dir;

        @Override
        public Integer call() {
            try (ControlClient c = Jvms.control(parent.pid)) {
                c.request("rmdir", dir);
            }
            return 0;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the files of the root, instances/NAME, options or instances.")
    static final class Ls implements Callable<Integer> {
        @ParentCommand
        ControlCommand parent;

        @Parameters(index = "0", paramLabel = "DIR", arity = "0..1", defaultValue = "")
        String dir;

        @Override
        public Integer call() {
            try (ControlClient c = Jvms.control(parent.pid)) {
                System.out.print(c.request("ls", dir));
            }
            return 0;
        }
    }
}
