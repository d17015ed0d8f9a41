package org.jftrace.ftrace;

import java.util.List;
import org.jftrace.filter.FilterRule;

/**
 * Makes functions known on demand: after a late attach, the classes loaded before the agent have
 * their functions registered only when a filter may select them, or when the whole list is read, so
 * that the first attach reads the class files of one package, not of every loaded class.
 */
public interface FunctionDiscovery {

    /**
     * Registers the functions of the loaded classes that any of {@code rules} may select (a class
     * whose name and a dot begin a string the rule's function glob matches); all of them if
     * {@code rules} is null or empty (an empty filter selects every function). Called outside the
     * core's lock.
     */
    void discover(List<FilterRule> rules);
}
