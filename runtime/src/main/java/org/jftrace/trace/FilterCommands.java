package org.jftrace.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jftrace.filter.FilterRule;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;
import org.jftrace.ftrace.Regs;
import org.jftrace.ring.TraceBuffer;

/**
 * The commands written to set_ftrace_filter as {@code <func>:<command>[:<count>]}: traceon, traceoff,
 * stacktrace and snapshot (ftrace's "function probes", {@code register_ftrace_function_probe}). Each is
 * an ops of its own whose filter is the command's function glob; {@code !<func>:<command>} removes it.
 */
final class FilterCommands {

    static final List<String> SUPPORTED = List.of("traceon", "traceoff", "stacktrace", "snapshot");

    private final TraceInstance ti;
    private final List<Probe> probes = new ArrayList<>();

    FilterCommands(TraceInstance ti) {
        this.ti = ti;
    }

    /** One registered command. */
    private final class Probe {
        final String func;
        final String command;
        /** Remaining count, or -1 for unlimited. */
        final AtomicLong count;
        final FtraceOps ops;

        Probe(FilterRule r) {
            this.func = r.functionGlob().pattern();
            this.command = r.command();
            this.count = new AtomicLong(r.count());
            this.ops = new FtraceOps(ti.opsName("probe:" + command), FtraceOps.FL_RECURSION, this::fire);
        }

        private boolean take() {
            while (true) {
                long c = count.get();
                if (c < 0) {
                    return true;
                }
                if (c == 0) {
                    return false;
                }
                if (count.compareAndSet(c, c - 1)) {
                    return true;
                }
            }
        }

        private void fire(long ip, long parentIp, FtraceOps op, Regs regs) {
            switch (command) {
                case "traceon":
                    if (!ti.tracingOn && take()) {
                        ti.tracingOn = true;
                    }
                    break;
                case "traceoff":
                    if (ti.tracingOn && take()) {
                        ti.tracingOn = false;
                    }
                    break;
                case "stacktrace":
                    if (ti.tracingOn && take()) {
                        TraceBuffer b = (TraceBuffer) regs.local(op);
                        if (b == null) {
                            b = ti.buffers.current();
                            regs.setLocal(op, b);
                        }
                        b.writeStack(ti.clock.now(b), (int) ip, javaStack());
                    }
                    break;
                default: // snapshot
                    if (take()) {
                        ti.takeSnapshot();
                    }
            }
        }

        String show() {
            long c = count.get();
            return func + ":" + command + ":" + (c < 0 ? "unlimited" : "count=" + c);
        }
    }

    /** The calling thread's Java stack, without jftrace's own frames. */
    static StackTraceElement[] javaStack() {
        StackTraceElement[] all = new Throwable().getStackTrace();
        int from = 0;
        while (from < all.length && (all[from].getClassName().startsWith("org.jftrace.ftrace.")
                || all[from].getClassName().startsWith(FilterCommands.class.getName())
                || all[from].getClassName().startsWith("java.lang.invoke."))) {
            from++;
        }
        return Arrays.copyOfRange(all, from, all.length);
    }

    /** Checks that every command is one we run. @throws TracefsException naming the first that is not */
    static void check(List<FilterRule> rules) {
        for (FilterRule r : rules) {
            if (r.kind() == FilterRule.Kind.COMMAND && !SUPPORTED.contains(r.command())) {
                throw new TracefsException("set_ftrace_filter: the command '" + r.command() + "' in '" + r.text()
                        + "' is not supported (supported: " + String.join(", ", SUPPORTED) + ")");
            }
        }
    }

    /** Adds ({@code !} removes) the commands among {@code rules}. */
    synchronized void apply(List<FilterRule> rules) {
        for (FilterRule r : rules) {
            if (r.kind() != FilterRule.Kind.COMMAND) {
                continue;
            }
            String func = r.functionGlob().pattern();
            if (r.negated()) {
                for (Iterator<Probe> it = probes.iterator(); it.hasNext(); ) {
                    Probe p = it.next();
                    if (p.func.equals(func) && p.command.equals(r.command())) {
                        Ftrace.unregisterFtraceFunction(p.ops);
                        it.remove();
                    }
                }
                continue;
            }
            Probe p = new Probe(r);
            Ftrace.setHashes(p.ops, List.of(FilterRule.parse(func)), List.of());
            Ftrace.registerFtraceFunction(p.ops);
            probes.add(p);
        }
    }

    synchronized String show() {
        StringBuilder sb = new StringBuilder();
        for (Probe p : probes) {
            sb.append(p.show()).append('\n');
        }
        return sb.toString();
    }

    synchronized void clear() {
        for (Probe p : probes) {
            Ftrace.unregisterFtraceFunction(p.ops);
        }
        probes.clear();
    }
}
