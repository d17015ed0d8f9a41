package org.jftrace.cli.report;

import java.io.IOException;

/** The file is not trace data this jftrace can read: the message names what is wrong and where. */
public final class BadDataException extends IOException {

    private static final long serialVersionUID = 1L;

    BadDataException(String message) {
        super(message);
    }
}
