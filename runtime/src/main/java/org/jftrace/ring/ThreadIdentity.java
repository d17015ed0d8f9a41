package org.jftrace.ring;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Who wrote a record: thread id, name and whether it is a virtual thread; the JVM's comm/pid pair.
 * Immutable; captured once when a thread first gets a buffer (like the kernel's saved_cmdlines, a later
 * {@code Thread.setName} is not seen).
 */
public final class ThreadIdentity {

    /** Shown for records whose writer is no longer known (the kernel prints {@code <...>}). */
    public static final ThreadIdentity UNKNOWN = new ThreadIdentity(-1, "<...>", false);

    /** {@code Thread.isVirtual()} on JDK 21+, reached reflectively because this module targets 17. */
    private static final MethodHandle IS_VIRTUAL = findIsVirtual();

    private final long threadId;
    private final String name;
    private final boolean virtual;

    /**
     * @param threadId the thread id
     * @param name     the thread name
     * @param virtual  whether it is a virtual thread
     */
    public ThreadIdentity(final long threadId, final String name, final boolean virtual) {
        this.threadId = threadId;
        this.name = name;
        this.virtual = virtual;
    }

    /**
     * @param thread a thread
     * @return its identity now
     */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+
    public static ThreadIdentity of(final Thread thread) {
        return new ThreadIdentity(thread.getId(), thread.getName(), isVirtual(thread));
    }

    /**
     * @param thread a thread
     * @return whether it is a virtual thread (always false before JDK 21)
     */
    public static boolean isVirtual(final Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable t) {
            return false;
        }
    }

    private static MethodHandle findIsVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // JDK 17: no virtual threads
        }
    }

    /** @return the thread id. */
    public long threadId() {
        return threadId;
    }

    /** @return the thread name at capture. */
    public String name() {
        return name;
    }

    /** @return whether the thread is virtual. */
    public boolean isVirtual() {
        return virtual;
    }

    @Override
    public String toString() {
        return name + "-" + threadId + (virtual ? " (virtual)" : "");
    }
}
