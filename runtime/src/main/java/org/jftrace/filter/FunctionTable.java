package org.jftrace.filter;

/**
 * The functions a filter can name: the JVM's {@code available_filter_functions}.
 *
 * <p>Functions are numbered from 1, in the order their sites were created, as the kernel numbers the
 * lines of available_filter_functions. The table only grows: a class loaded later adds functions at the
 * end, and an index never changes meaning.
 */
public interface FunctionTable {

    /** @return the number of functions; valid indexes are 1..size(). */
    int size();

    /** @return the function's name, e.g. {@code com.acme.Foo.bar(ILjava/lang/String;)V}. */
    String name(int index);

    /**
     * @return the function's module: the module name for a class in a named module, otherwise the base
     * name of its jar without {@code .jar} (e.g. {@code guava-33.3.1-jre}), or {@code ""} when unknown.
     */
    String module(int index);

    /**
     * The name of function {@code index} for matching: by default {@link #name(int)}; a table that keeps
     * its names packed returns {@code scratch} pointed at them.
     */
    default CharSequence name(int index, Latin1Name scratch) {
        return name(index);
    }
}
