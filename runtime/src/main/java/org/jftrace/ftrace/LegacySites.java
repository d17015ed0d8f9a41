package org.jftrace.ftrace;

/**
 * Sites for class files older than version 51, which cannot hold {@code invokedynamic}: the entry is
 * {@code if (LegacySites.on(ip)) token = LegacySites.entry(ip, args)}, and the exits call the
 * {@link Trampoline} exit methods directly with {@code invokestatic}.
 *
 * <p>The price of the fallback: a volatile read per call while off, and boxed arguments while on. Such
 * classes are rare and old; they are traced, not skipped.
 */
public final class LegacySites {

    private LegacySites() {
    }

    /** @return whether any ops traces function {@code ip} now. */
    public static boolean on(int ip) {
        DynFtrace rec = Ftrace.records().get(ip);
        return rec != null && rec.binding != OpsListFunc.NOP;
    }

    /** The entry: @return the token for the exits, or null. */
    public static Object entry(int ip, Object[] all) {
        DynFtrace rec = Ftrace.records().get(ip);
        return rec == null ? null : EntryTrampoline.slow(rec, all);
    }
}
