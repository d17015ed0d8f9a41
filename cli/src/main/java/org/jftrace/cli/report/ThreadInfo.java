package org.jftrace.cli.report;

/** A traced thread, as a THREADS block declares it. */
public final class ThreadInfo {
    public final long id;
    public final String name;
    public final boolean virtual;
    /** The calls open on this thread while a report reads the stream (see {@link Calls}). */
    Object calls;

    ThreadInfo(long id, String name, boolean virtual) {
        this.id = id;
        this.name = name;
        this.virtual = virtual;
    }

    /** "name" or "name (virtual)"; "&lt;vthread&gt;" for an unnamed virtual thread. */
    public String label() {
        String n = name.isEmpty() ? (virtual ? "<vthread>" : "<...>") : name;
        return virtual ? n + " (virtual)" : n;
    }

    /** The TASK column of ftrace's text: no spaces. */
    public String comm() {
        if (name.isEmpty()) {
            return virtual ? "<vthread>" : "<...>";
        }
        return name.replace(' ', '_');
    }
}
