package org.jftrace.ftrace;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MutableCallSite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The kernel's static key (jump label), one per link group key: whether any function of a package
 * is traced at all. Every method of the package starts with
 * <pre>
 *   invokedynamic jftrace_key()Z   ifeq skip   [receiver] args...  invokedynamic jftrace_entry  astore token
 *   skip:
 * </pre>
 * and every {@code jftrace_key} instruction of the package is bound to this one call site.
 *
 * <p>Why: with the key off, C2 folds the branch and never parses the entry site, whose guard (the
 * {@link PatchGroup} test, a guardWithTest form and its profiling wrapper, about 300 bytes of
 * LambdaForms) otherwise counts against the caller's inlining budget at every inlined method of a
 * library that nothing traces. A key costs the indy's own call-site frame and a constant: about 40.
 *
 * <p>Invariant: the key is on while at least one of its functions has a binding other than
 * {@link OpsListFunc#NOP}. Turning it on is always safe (the entry site is correct on its own);
 * turning it off is safe once all its functions are bound to the nop. A flip deoptimises the code
 * that folded the key, in one pass, like a group guard. Guarded by Ftrace's lock.
 *
 * <p>A key goes on within the batch that traces its first function, but off only {@link #OFF_DELAY_NANOS}
 * after the last one is untraced, in the background, like the kernel's deferred static keys
 * ({@code static_key_slow_dec_deferred}, perf's rate limit). Why: the batch that untraces a package
 * has already deoptimised the package's compiled code through its group guards, and HotSpot still
 * counts those nmethods as the key's dependents, so a key flip in the same batch paid a second
 * pass (14 ms for 10,000 functions on JDK 25, docs/benchmarks.md, switching). Deferred, it runs off the
 * user's clock, and a package traced again within the delay flips nothing at all.
 */
final class StaticKey {

    static final MethodHandle ON = MethodHandles.constant(boolean.class, true);
    static final MethodHandle OFF = MethodHandles.constant(boolean.class, false);

    /** How long an unused key stays on; 0 turns keys off within the batch. */
    static final long OFF_DELAY_NANOS = Long.getLong("jftrace.keyOffDelayMillis", 1000) * 1_000_000L;

    // Guarded by Ftrace.LOCK.
    private static final Set<StaticKey> PENDING_OFF = new LinkedHashSet<>();
    private static long offDeadline;
    private static Thread deferrer;
    private static long keysOn;
    private static long flips;

    /** Bound to every key instruction of the package. */
    final MutableCallSite site;
    /** The package (its constructors apart) whose methods share the key: for diagnostics. */
    final String linkKey;
    /** Functions of this key whose binding is not the nop. */
    int enabled;
    /** Whether {@link #site} says on. */
    private boolean on;

    /** Has the JDK customise the handles every key's target switches between (see {@link JdkKeys#customize}). */
    static void customizeTargets() {
        JdkKeys.customize(ON);
        JdkKeys.customize(OFF);
    }

    StaticKey(String linkKey) {
        this(linkKey, new MutableCallSite(OFF));
    }

    /** A key switching {@code site}: one of {@link JdkKeys}'. */
    StaticKey(String linkKey, MutableCallSite site) {
        this.linkKey = linkKey;
        this.site = site;
    }

    /** Whether the key must flip to agree with {@link #enabled}. */
    boolean needsFlip() {
        return on != (enabled > 0);
    }

    /**
     * Brings {@code keys} in line with their counts after a batch: keys to turn on at once (before the
     * batch returns, the package's methods must consult their entries), keys to turn off after the
     * delay. Caller holds Ftrace's lock.
     */
    static void update(Collection<StaticKey> keys) {
        List<StaticKey> now = new ArrayList<>();
        for (StaticKey k : keys) {
            if (!k.needsFlip()) {
                continue;
            }
            if (k.enabled > 0 || OFF_DELAY_NANOS <= 0) {
                now.add(k);
            } else {
                deferOff(k);
            }
        }
        flip(now);
    }

    /**
     * Turns off now every key waiting for its delay that is still unused (for tests and shutdown).
     * Caller holds Ftrace's lock.
     */
    static void flushDeferred() {
        List<StaticKey> due = new ArrayList<>(PENDING_OFF);
        PENDING_OFF.clear();
        flip(due);
    }

    /** Keys on, keys waiting to go off, and flips so far, for Ftrace.keyStats. Caller holds Ftrace's lock. */
    static String stats() {
        return "keys_on=" + keysOn + " keys_pending_off=" + PENDING_OFF.size() + " key_flips=" + flips;
    }

    private static void deferOff(StaticKey k) {
        PENDING_OFF.add(k);
        offDeadline = System.nanoTime() + OFF_DELAY_NANOS;
        if (deferrer == null) {
            deferrer = new Thread(StaticKey::runDeferrer, "jftrace-static-keys");
            deferrer.setDaemon(true);
            deferrer.start();
        } else {
            LockSupport.unpark(deferrer);
        }
    }

    private static void runDeferrer() {
        JdkSites.markTracerThread(); // the tracer's own: the JDK methods it calls are not traced
        while (true) {
            long wait;
            synchronized (Ftrace.LOCK) {
                if (PENDING_OFF.isEmpty()) {
                    wait = Long.MAX_VALUE;
                } else {
                    wait = offDeadline - System.nanoTime();
                    if (wait <= 0) {
                        try {
                            flushDeferred();
                        } catch (Throwable t) { // a key left on is only slower, never wrong
                            FtraceLog.warn("cannot turn static keys off: " + t);
                        }
                        wait = Long.MAX_VALUE;
                    }
                }
            }
            LockSupport.parkNanos(wait);
        }
    }

    /**
     * Flips every key of {@code keys} that disagrees with its count: one {@code setTarget} each (a
     * deoptimisation pass for the code that folded it), then one {@code syncAll}.
     */
    static void flip(Collection<StaticKey> keys) {
        MutableCallSite[] sites = new MutableCallSite[keys.size()];
        int n = 0;
        for (StaticKey k : keys) {
            if (k.needsFlip()) {
                k.on = k.enabled > 0;
                k.site.setTarget(k.on ? ON : OFF);
                keysOn += k.on ? 1 : -1;
                flips++;
                sites[n++] = k.site;
            }
        }
        if (n > 0) {
            MutableCallSite.syncAll(Arrays.copyOf(sites, n));
        }
    }
}
