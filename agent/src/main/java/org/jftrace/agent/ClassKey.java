package org.jftrace.agent;

import java.lang.ref.WeakReference;

/**
 * The agent's handle on a class whose functions are known: the class key its functions carry in the
 * core (see {@code Ftrace.addFunction}), which the {@link Planter} is given to plant the class, or to
 * plant it again. Holds its loader weakly: the core's records outlive it.
 */
final class ClassKey {

    final WeakReference<ClassLoader> loader;
    /** Internal name, e.g. {@code com/acme/Foo}. */
    final String internalName;
    /**
     * Whether the class gets sites when it is retransformed: set by the {@link Planter} before it
     * retransforms a class that was only scanned; a class planted once is planted again.
     */
    volatile boolean plant;

    ClassKey(ClassLoader loader, String internalName) {
        this.loader = new WeakReference<>(loader);
        this.internalName = internalName;
    }

    String dottedName() {
        return internalName.replace('/', '.');
    }
}
