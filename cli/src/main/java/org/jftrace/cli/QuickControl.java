package org.jftrace.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * {@code jftrace PID cat|write|append|ls|mkdir|rmdir ...} on the common path, without picocli: the
 * command parser and its reflection cost more than the request itself (about 170 of picocli's classes
 * and java.sql for its converters, against a handful here), and these commands are run in loops.
 *
 * <p>It takes only what it answers exactly as {@link ControlCommand} would: plain arguments (none that
 * starts with {@code -} or {@code @}, which picocli reads as options or argument files), the right
 * number of them, not {@code trace_pipe}, and a JVM whose control socket is at the default path and
 * accepts the connection. Anything else, including every error before the request is sent, is left to
 * the full command, which then says what is wrong as it always has.
 */
final class QuickControl {

    /** Returned when the arguments are not for this path: run the full command. */
    static final int NOT_HANDLED = -1;

    private static final Set<String> VERBS = Set.of("cat", "write", "append", "ls", "mkdir", "rmdir");

    private QuickControl() {
    }

    /** @return the exit code, or {@link #NOT_HANDLED} when nothing was sent and the full command must run */
    static int run(String[] args) {
        String[] a = args.length > 0 && args[0].equals("control") ? Arrays.copyOfRange(args, 1, args.length) : args;
        if (a.length < 2 || !isPid(a[0]) || !VERBS.contains(a[1])) {
            return NOT_HANDLED;
        }
        for (int i = 1; i < a.length; i++) {
            if (a[i].startsWith("-") || a[i].startsWith("@")) {
                return NOT_HANDLED;
            }
        }
        String verb = a[1];
        String[] rest = Arrays.copyOfRange(a, 2, a.length);
        if (!arityFits(verb, rest)) {
            return NOT_HANDLED;
        }
        long pid = Long.parseLong(a[0]);
        Path socket = ControlSockets.defaultPath(pid);
        if (!Files.exists(socket)) { // (not ProcessHandle's own-pid check: its thread pool costs ~10 ms)
            return NOT_HANDLED;
        }
        ControlClient c;
        try {
            c = ControlClient.connect(pid, socket);
        } catch (IOException e) {
            return NOT_HANDLED;
        }
        try (c) {
            return request(c, verb, rest);
        } catch (CliError e) {
            System.err.println("jftrace: " + e.getMessage());
            return e.exitCode;
        }
    }

    /** 1 to 18 ASCII digits; a loop, not a regex: java.util.regex would spin lambda classes at startup. */
    private static boolean isPid(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean arityFits(String verb, String[] rest) {
        switch (verb) {
            case "cat":
                return rest.length == 1 && !rest[0].equals("trace_pipe") && !rest[0].endsWith("/trace_pipe");
            case "write":
            case "append":
                return rest.length >= 1;
            case "ls":
                return rest.length <= 1;
            default: // mkdir, rmdir
                return rest.length == 1;
        }
    }

    /** The request and its printing, as {@link ControlCommand}'s subcommands do them. */
    private static int request(ControlClient c, String verb, String[] rest) {
        switch (verb) {
            case "cat":
                System.out.print(c.request("cat", rest[0]));
                System.out.flush();
                return 0;
            case "write":
            case "append":
                String value = String.join(" ", Arrays.asList(rest).subList(1, rest.length));
                System.err.print(c.request(verb, rest[0], value)); // a note, if any
                return 0;
            case "ls":
                System.out.print(c.request("ls", rest.length == 0 ? "" : rest[0]));
                return 0;
            default:
                c.request(verb, rest[0]);
                return 0;
        }
    }
}
