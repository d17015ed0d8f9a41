package org.jftrace.trace;

import java.util.Arrays;

/**
 * Numbers the classes of argument and return objects, so that a record holds an int, not a reference
 * (a reference would keep the object alive and could not be written to the data file). Each class is
 * numbered, and its names taken, once: the hot path then reads a {@link ClassValue}, which allocates
 * nothing. No user code runs: {@code Class.getName} and {@code getSimpleName} are the JDK's.
 */
public final class ArgClasses {

    private static final ClassValue<Integer> IDS = new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> c) {
            return register(c);
        }
    };

    private static final Object LOCK = new Object();
    private static volatile String[] names = new String[64];
    private static volatile String[] simpleNames = new String[64];
    private static int count;

    private ArgClasses() {
    }

    /** @return the class's number; allocates only the first time the class is seen */
    public static int id(Class<?> c) {
        return IDS.get(c);
    }

    /** @return the class's binary name ({@code java.io.IOException}), or {@code ?} for an unknown number */
    public static String name(int id) {
        String[] n = names;
        return id >= 0 && id < n.length && n[id] != null ? n[id] : "?";
    }

    /** @return the class's simple name ({@code IOException}; the name without its package for anonymous classes) */
    public static String simpleName(int id) {
        String[] n = simpleNames;
        return id >= 0 && id < n.length && n[id] != null ? n[id] : "?";
    }

    private static Integer register(Class<?> c) {
        String name = c.getName();
        String simple;
        try {
            simple = c.getSimpleName();
        } catch (Throwable t) { // malformed class attributes
            simple = "";
        }
        if (simple.isEmpty()) { // anonymous, hidden (lambdas): the name without its package
            simple = name.substring(name.lastIndexOf('.') + 1);
        }
        synchronized (LOCK) {
            int id = count++;
            if (id >= names.length) {
                simpleNames = Arrays.copyOf(simpleNames, id * 2);
                names = Arrays.copyOf(names, id * 2);
            }
            simpleNames[id] = simple;
            // a reader sees both: the record holding id is published (release) after this
            names[id] = name;
            return id;
        }
    }
}
