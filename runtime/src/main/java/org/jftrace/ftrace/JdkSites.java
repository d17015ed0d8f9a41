package org.jftrace.ftrace;

/**
 * The entry of a JDK method: {@code if (<key>) token = JdkSites.entry(ip)}, with the exits calling
 * {@link Exits} by {@code invokestatic}. The key is the package's {@link StaticKey}, read from a field
 * of {@link JdkKeys}, which C2 folds while nothing in the package is traced: the entry is never run
 * then (the sites still add bytes to the method, see docs/benchmarks.md).
 *
 * <p>Why not an {@code invokedynamic} entry as in application classes: linking a call site runs the
 * JDK (method handles, collections), and a JDK method whose own site is being linked would be called
 * again, before its site exists, from inside its own bootstrap. A static call links without running
 * any Java code, and the key's field read links through caches once {@link #prepare} has run.
 *
 * <p>The recursion guard ({@code ftrace_test_recursion_trylock}): a JDK method that the tracer
 * itself calls, from a callback, from the trampoline, or from one of its own threads (the drain, the
 * control socket), is never traced from there.
 */
public final class JdkSites {

    private static final Object[] NO_ARGS = new Object[0];

    private static boolean prepared;

    private JdkSites() {
    }

    /** The entry: @return the token for the exits, or null. */
    public static Object entry(int ip) {
        DynFtrace rec = Ftrace.records().get(ip);
        if (rec == null || rec.binding == OpsListFunc.NOP) {
            return null;
        }
        if (ThreadCtx.current().insideTracer()) {
            return null;
        }
        return EntryTrampoline.slow(rec, NO_ARGS);
    }

    /**
     * Loads and initialises what a JDK method's sites run on, before any JDK class gets them: a class
     * initialised from inside a JDK method's entry or exit would run the JDK it traces.
     */
    public static synchronized void prepare() {
        if (prepared) {
            return;
        }
        ThreadCtx.current();
        entry(0);
        Exits.exitV(null);
        Exits.exitJ(0L, null);
        Exits.exitL(null, null);
        Exits.exitT(null, null);
        StaticKey.stats();
        StaticKey.customizeTargets();
        try {
            // Links MutableCallSite.getTarget and invokeExact()Z once: every key read links through
            // the JVM's and the JDK's caches from then on.
            boolean on = (boolean) JdkKeys.K0.getTarget().invokeExact();
            if (on) {
                throw new IllegalStateException("a JDK key is on before any JDK class has sites");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        try {
            // Loaded by the first handle the JDK customises: from inside a JDK method's key, that
            // load would run the transformer, which reads keys (a ClassCircularityError).
            Class.forName("java.lang.invoke.MethodHandle$1", true, null);
        } catch (ClassNotFoundException e) {
            // a JDK whose customisation loads no such class
        }
        // Everything an entry or exit may reach, loaded now: a class first loaded from inside a JDK
        // method's entry, while the JVM is loading another for the same thread, is a circularity.
        Class<?>[] used = {Trampoline.class, EntryTrampoline.class, GracePeriod.class, DirectTarget.class,
            OpsListFunc.class, FtraceOps.class, Frame.class, DynFtrace.class, FtraceRecords.class, Binding.class};
        try {
            for (Class<?> c : used) {
                Class.forName(c.getName(), true, JdkSites.class.getClassLoader());
            }
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        prepared = true;
    }

    /**
     * Enters tracer code that runs on an application thread (the agent's transformer, as a class
     * loads): the JDK methods it calls are not traced until {@link #leaveTracerCode}.
     * @return the value to leave with
     */
    public static long enterTracerCode() {
        return ThreadCtx.current().enterTracerCode();
    }

    public static void leaveTracerCode(long token) {
        ThreadCtx.current().leaveTracerCode(token);
    }

    /**
     * Marks the calling thread as one of the tracer's own (the drain, the control socket, the output
     * at exit): the JDK methods it calls are never traced, and the grace period does not wait for it.
     */
    public static void markTracerThread() {
        ThreadCtx.current().markTracer();
    }
}
