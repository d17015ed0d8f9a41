package org.jftrace.ftrace;

/**
 * The signal a live-patched entry site throws to skip the method's body: the JVM has no way for a
 * call site to return from its caller, so the patched entry throws this, and the method's catch-all
 * handler, which covers the entry site too ({@code aload token; invokedynamic jftrace_throw(Throwable,
 * Object)R; xreturn}, see the agent's MethodSites), returns the replacement value it carries instead
 * of rethrowing.
 *
 * <p>One per thread, preallocated, without a stack trace: it lives only from the entry site's throw to
 * the handler right after it, where nothing else runs on the thread, so it is never in use twice.
 * The application never sees it.
 */
final class Replaced extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The replacement value: raw bits of a primitive, or the object. */
    long bits;
    Object obj;
    /** The call's token: a {@link Frame} whose exit callbacks must still run, or null. */
    Object token;

    Replaced() {
        super("jftrace live patch", null, false, false);
    }

    Replaced set(long b, Object o, Object tok) {
        bits = b;
        obj = o;
        token = tok;
        return this;
    }
}
