package org.jftrace.trace;

/** A bad control-file write or read: a one-line message naming the bad token. Nothing was changed. */
public final class TracefsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public TracefsException(String message) {
        super(message.replace("\r", "\\r").replace("\n", "\\n")); // a quoted bad token may hold line breaks
    }
}
