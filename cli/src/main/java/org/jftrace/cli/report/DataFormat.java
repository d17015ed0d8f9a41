package org.jftrace.cli.report;

import java.nio.charset.StandardCharsets;

/** The constants of the trace data file, version 2 (docs/data-format.md). */
final class DataFormat {

    static final byte[] MAGIC = "JFTRDATA".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;
    /** magic, u16 version, u16 flags. */
    static final int STREAM_HEADER = 12;
    /** u8 kind, u32 length, u32 crc32. */
    static final int BLOCK_HEADER = 9;

    static final int END = 0;
    static final int META = 1;
    static final int FUNCTIONS = 2;
    static final int THREADS = 3;
    static final int EVENTS = 4;
    static final int STATS = 5;
    static final int PARAMETERS = 6;

    static final int ENTRY = 10;
    static final int RETURN = 11;
    static final int CALL = 12;
    static final int MARKER = 13;
    static final int STACK = 14;
    static final int LOST = 15;
    /** The values of the record before it: its arguments, or the returned object or exception. */
    static final int ARGS = 16;

    private DataFormat() {
    }

    static String kindName(int kind) {
        switch (kind) {
            case END: return "END";
            case META: return "META";
            case FUNCTIONS: return "FUNCTIONS";
            case THREADS: return "THREADS";
            case EVENTS: return "EVENTS";
            case STATS: return "STATS";
            case PARAMETERS: return "PARAMETERS";
            default: return "kind " + kind;
        }
    }
}
