package org.jftrace.ftrace;

import java.util.Set;

/**
 * Gives sites to classes whose functions are known but were not planted when they loaded: the
 * agent's retransformation. Functions of such a class are listed and filtered like any others; the
 * first write that binds one of them has the planter plant its class before the write returns.
 */
public interface SitePlanter {

    /**
     * Plants the classes the keys stand for (the handles the agent gave {@link Ftrace#addFunction}),
     * reporting any it cannot plant. Called outside the core's lock, by the thread that wrote.
     */
    void plant(Set<Object> classKeys);
}
