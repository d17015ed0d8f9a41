package org.jftrace.cli.tracedat;

import java.util.List;
import org.jftrace.cli.report.Jvm;

/**
 * Synthetic kernel addresses for the traced functions, and the kallsyms-style table that names them:
 * trace-cmd prints a function event's ip by finding the symbol at or below it, so each function gets
 * its own 16-byte slot. Each stream (JVM) of the file has a range of its own.
 */
final class Symbols {

    /** The start of the functions' range; below it, the names that are not functions. */
    static final long BASE = 0xffff_8000_0000_0000L;
    /** The ip of the print events that mark a loss after an entry (see TraceDat). */
    static final long LOST = BASE - 48;
    /** The ip of the print events that carry trace markers, as ftrace's tracing_mark_write. */
    static final long MARKER = BASE - 32;
    /** The ip of the print events that carry stack traces. */
    static final long STACK = BASE - 16;

    private Symbols() {
    }

    static long address(int jvmIndex, int ip) {
        return BASE + ((long) jvmIndex << 36) + ((ip & 0xFFFF_FFFFL) << 4);
    }

    /** {@code ADDRESS T NAME} lines; whitespace in a name would end it early, so it becomes '_'. */
    static String kallsyms(List<Jvm> jvms, boolean descriptor) {
        StringBuilder sb = new StringBuilder();
        line(sb, LOST, "lost_events");
        line(sb, MARKER, "tracing_mark_write");
        line(sb, STACK, "stack_trace");
        for (int i = 0; i < jvms.size(); i++) {
            Jvm j = jvms.get(i);
            for (int ip : j.functionIps()) {
                line(sb, address(i, ip), j.name(ip, descriptor).replaceAll("\\s", "_"));
            }
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, long address, String name) {
        String hex = Long.toHexString(address);
        for (int i = hex.length(); i < 16; i++) {
            sb.append('0');
        }
        sb.append(hex).append(" T ").append(name).append('\n');
    }
}
