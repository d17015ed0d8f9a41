package org.jftrace.ftrace;

/**
 * The signal a live-patched entry site throws to skip the method's body: the JVM has no way for a
 * call site to return from its caller, so the patched entry throws this and a handler that covers
 * only the entry instruction ({@code invokedynamic jftrace_replaced(Throwable)R; xreturn}, planted in
 * every method) turns it into the return of the replacement value.
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
