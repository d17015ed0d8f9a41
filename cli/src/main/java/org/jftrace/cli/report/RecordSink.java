package org.jftrace.cli.report;

import java.io.IOException;

/** Takes a stream's records in timestamp order. */
public interface RecordSink {

    /** {@code r} is reused after the call; {@code cursor} lets a consumer look at the buffer's next record. */
    void record(Record r, BufferCursor cursor) throws IOException;
}
