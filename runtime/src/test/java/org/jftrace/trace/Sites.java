package org.jftrace.trace;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.Trampoline;

/**
 * Test support: a function with real sites, without ASM. Its entry and exit handles come from the same
 * bootstrap method the agent's invokedynamic instructions link to, so calls go through the real
 * MutableCallSite, patch groups and trampoline.
 */
final class Sites {

    final int ip;
    private final MethodHandle entry;
    private final MethodHandle exit;

    private Sites(int ip) {
        this.ip = ip;
        MethodHandles.Lookup l = MethodHandles.lookup();
        this.entry = Trampoline.site(l, "jftrace_entry", MethodType.methodType(Object.class), ip).dynamicInvoker();
        this.exit = Trampoline.site(l, "jftrace_exit", MethodType.methodType(void.class, Object.class), ip).dynamicInvoker();
    }

    /** A new function {@code cls.method()V}; names must be unique in the JVM. */
    static Sites function(String cls, String method) {
        return function(cls, method, "()V");
    }

    /** A new function {@code cls.method} with the given descriptor (for overloads); called as {@code ()V}. */
    static Sites function(String cls, String method, String descriptor) {
        return new Sites(Ftrace.addFunction(Sites.class.getClassLoader(), cls.replace('.', '/'), method, descriptor,
                false, "sites-test", false));
    }

    /** Calls the function: entry, then {@code body}, then exit. */
    void call(Runnable body) {
        try {
            Object token = (Object) entry.invokeExact();
            body.run();
            exit.invokeExact(token);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    void call() {
        call(() -> { });
    }
}
