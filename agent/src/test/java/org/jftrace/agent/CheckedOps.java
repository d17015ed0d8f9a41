package org.jftrace.agent;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jftrace.ftrace.FtraceOps;

/**
 * Test support (shared with the reliability module's StressTest): an ops that checks, per thread, that
 * every exit pops the entry it pushed, and that no callback runs after {@link #unregistered} is set.
 */
final class CheckedOps {
    final FtraceOps op;
    final Map<Thread, ArrayDeque<Long>> stacks = new ConcurrentHashMap<>();
    final AtomicBoolean unregistered = new AtomicBoolean();
    final AtomicLong entries = new AtomicLong();
    final AtomicLong exits = new AtomicLong();

    CheckedOps(String name, int flags, ConcurrentLinkedQueue<String> violations) {
        op = new FtraceOps(name, flags, (ip, parent, o, regs) -> {
            if (unregistered.get()) {
                violations.add(name + ": entry callback after unregister returned");
            }
            entries.incrementAndGet();
            stacks.computeIfAbsent(Thread.currentThread(), t -> new ArrayDeque<>()).push(ip);
        }, (ip, parent, o, regs) -> {
            if (unregistered.get()) {
                violations.add(name + ": return callback after unregister returned");
            }
            exits.incrementAndGet();
            ArrayDeque<Long> s = stacks.get(Thread.currentThread());
            Long top = s == null ? null : s.poll();
            if (top == null || top != ip) {
                violations.add(name + ": exit of " + ip + " without its entry (top " + top + ")");
            }
        });
    }
}
