package org.jftrace.cli.report;

/**
 * One record of an EVENTS block, decoded. Readers reuse the object for the next record: a consumer
 * copies what it keeps.
 */
public final class Record {
    /** The record types (docs/data-format.md). */
    public static final int ENTRY = DataFormat.ENTRY;
    public static final int RETURN = DataFormat.RETURN;
    public static final int CALL = DataFormat.CALL;
    public static final int MARKER = DataFormat.MARKER;
    public static final int STACK = DataFormat.STACK;
    public static final int LOST = DataFormat.LOST;

    public int type;
    public long ts;
    public int buffer;
    public ThreadInfo thread;
    public int ip;
    /** ENTRY/RETURN: the graph depth (1 for a root); CALL: the parent's ip (0: none). */
    public int arg;
    /** RETURN: timestamp minus calltime. */
    public long duration;
    public boolean exceptional;
    public long retval;
    /** MARKER: the text. */
    public String text;
    /** STACK: the frames. */
    public String[] frames;
    /** LOST: records lost here. */
    public long count;
    /** CALL, ENTRY: the arguments (func-args, funcgraph-args), or null if not recorded. */
    public ArgValue[] args;
    /** RETURN: the returned object or the exception's class (funcgraph-retval), or null if not recorded. */
    public ArgValue ret;

    /** @return the arguments of a CALL or ENTRY, or null if not recorded */
    public ArgValue[] args() {
        return args;
    }

    /**
     * @return a RETURN's captured value: the returned object, or the exception (kind THROWN); null if
     * not recorded (a primitive return is {@link #retval}'s bits, typed by the function's descriptor)
     */
    public ArgValue returned() {
        return ret;
    }

    public long callTime() {
        return ts - duration;
    }

    public boolean isEntry() {
        return type == DataFormat.ENTRY;
    }

    public boolean isReturn() {
        return type == DataFormat.RETURN;
    }

    public boolean isLost() {
        return type == DataFormat.LOST;
    }

    public boolean isGraph() {
        return type == DataFormat.ENTRY || type == DataFormat.RETURN;
    }
}
