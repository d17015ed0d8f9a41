package org.jftrace.cli.export;

import org.jftrace.cli.report.ArgValue;
import org.jftrace.cli.report.ThreadInfo;

/** A closed call, placed in its trace: what one span says. Reused by its producer: a consumer copies. */
final class Call {
    long traceIdHigh;
    long traceIdLow;
    long spanId;
    /** 0: the call is its trace's root. */
    long parentSpanId;
    int ip;
    ThreadInfo thread;
    /** Wall-clock nanoseconds since 1970. */
    long startEpochNanos;
    long endEpochNanos;
    boolean threw;
    /** The arguments its entry record carries (funcgraph-args), or null. */
    ArgValue[] args;
    /** The returned object or the exception's class its return record carries (funcgraph-retval), or null. */
    ArgValue returned;
    /** The recording ended before the call returned: its end is the last time the data holds. */
    boolean unfinished;
}
