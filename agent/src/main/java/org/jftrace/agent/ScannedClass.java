package org.jftrace.agent;

import java.lang.ref.WeakReference;

/**
 * A class whose functions are known but which has no sites yet: the plant key its functions carry in
 * the core (see {@code Ftrace.addFunction}). Holds its loader weakly: the core's records outlive it.
 */
final class ScannedClass {

    final WeakReference<ClassLoader> loader;
    /** Internal name, e.g. {@code com/acme/Foo}. */
    final String internalName;
    /** Set by the {@link Planter} before it retransforms the class: the transformer plants it then. */
    volatile boolean plant;

    ScannedClass(ClassLoader loader, String internalName) {
        this.loader = new WeakReference<>(loader);
        this.internalName = internalName;
    }

    String dottedName() {
        return internalName.replace('/', '.');
    }
}
