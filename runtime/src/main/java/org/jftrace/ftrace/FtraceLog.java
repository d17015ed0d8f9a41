package org.jftrace.ftrace;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Warnings for the user, on standard error, each distinct message once: the boot class path has no
 * logging framework, and a tracer must not flood the application's output.
 */
public final class FtraceLog {

    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
    private static volatile boolean quiet = Boolean.getBoolean("jftrace.quiet");

    private FtraceLog() {
    }

    public static void warn(String message) {
        if (!quiet && SEEN.size() < 10_000 && SEEN.add(message)) {
            System.err.println("jftrace: " + message);
        }
    }

    public static void setQuiet(boolean q) {
        quiet = q;
    }
}
