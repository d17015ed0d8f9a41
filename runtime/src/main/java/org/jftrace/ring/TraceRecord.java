package org.jftrace.ring;

import static org.jftrace.ring.RecordDescriptor.RECORD_WORDS;

/**
 * One record as a reader sees it: a copy of its 32 bytes, decoded, plus who wrote it and where it was
 * stored. Mutable so that a consuming reader can reuse one instance; {@link #copy()} detaches one.
 * Accessors that do not apply to the record's type return 0 / null.
 */
public final class TraceRecord {

    private int bufferId;
    private long position;
    private ThreadIdentity thread = ThreadIdentity.UNKNOWN;
    private long timestamp;
    private long header;
    private long payload1;
    private long payload2;
    private Object sideObject;
    /** The value words of the ARGS records that followed this one, once joined ({@link ArgGroups}). */
    private long[] argWords;

    /** An empty record to be filled by a reader. */
    public TraceRecord() {
    }

    void set(final int bufferId, final long position, final ThreadIdentity thread, final long[] words,
             final int index, final Object side) {
        final int w = index * RECORD_WORDS;
        this.bufferId = bufferId;
        this.position = position;
        this.thread = thread;
        this.timestamp = words[w + RecordDescriptor.TIMESTAMP_OFFSET];
        this.header = words[w + RecordDescriptor.HEADER_OFFSET];
        this.payload1 = words[w + RecordDescriptor.PAYLOAD1_OFFSET];
        this.payload2 = words[w + RecordDescriptor.PAYLOAD2_OFFSET];
        this.sideObject = RecordDescriptor.usesSideTable(RecordDescriptor.type(header)) ? side : null;
        this.argWords = null;
    }

    /** @return a detached copy. */
    public TraceRecord copy() {
        final TraceRecord c = new TraceRecord();
        c.bufferId = bufferId;
        c.position = position;
        c.thread = thread;
        c.timestamp = timestamp;
        c.header = header;
        c.payload1 = payload1;
        c.payload2 = payload2;
        c.sideObject = sideObject;
        c.argWords = argWords;
        return c;
    }

    /** @return the id of the buffer the record came from (the CPU column). */
    public int bufferId() {
        return bufferId;
    }

    /** @return the record's position in its buffer (write order within the buffer). */
    public long position() {
        return position;
    }

    /** @return the writing thread (UNKNOWN if no longer known). */
    public ThreadIdentity thread() {
        return thread;
    }

    /** @return the writing thread's id. */
    public long threadId() {
        return thread.threadId();
    }

    /** @return the writing thread's name. */
    public String threadName() {
        return thread.name();
    }

    /** @return whether the writing thread is virtual. */
    public boolean isVirtualThread() {
        return thread.isVirtual();
    }

    /** @return the trace_clock value. */
    public long timestamp() {
        return timestamp;
    }

    /** @return one of the {@code RecordDescriptor.TYPE_*} constants. */
    public int type() {
        return RecordDescriptor.type(header);
    }

    /** @return the {@code RecordDescriptor.FLAG_*} bits. */
    public int flags() {
        return RecordDescriptor.flags(header);
    }

    /** @return call depth (GRAPH_ENTRY, GRAPH_RETURN) or number of frames (STACK). */
    public int depth() {
        return RecordDescriptor.depth(header);
    }

    /** @return function index. */
    public int ip() {
        return RecordDescriptor.ip(header);
    }

    /** @return caller's function index (FUNCTION). */
    public int parentIp() {
        return type() == RecordDescriptor.TYPE_FUNCTION ? (int) payload1 : 0;
    }

    /** @return trace_clock value at entry (GRAPH_RETURN). */
    public long callTime() {
        return type() == RecordDescriptor.TYPE_GRAPH_RETURN ? payload1 : 0L;
    }

    /** @return return value bits (GRAPH_RETURN). */
    public long returnValueBits() {
        return type() == RecordDescriptor.TYPE_GRAPH_RETURN ? payload2 : 0L;
    }

    /** @return whether the function exited by throwing (GRAPH_RETURN). */
    public boolean exceptional() {
        return (flags() & RecordDescriptor.FLAG_EXCEPTION) != 0;
    }

    /** @return whether ARGS records follow this one (FUNCTION, GRAPH_ENTRY, GRAPH_RETURN). */
    public boolean hasArgs() {
        return (flags() & RecordDescriptor.FLAG_ARGS) != 0 && type() != RecordDescriptor.TYPE_ARGS;
    }

    /** @return ARGS: this slot's index in its group. */
    public int argsIndex() {
        return type() == RecordDescriptor.TYPE_ARGS ? flags() : 0;
    }

    /** @return ARGS: the number of ARGS slots in its group. */
    public int argsSlots() {
        return type() == RecordDescriptor.TYPE_ARGS ? depth() : 0;
    }

    /** @return ARGS: value word {@code j} (0 or 1) of this slot. */
    public long argsWord(final int j) {
        return j == 0 ? payload1 : payload2;
    }

    /**
     * @return the value words of the arguments or the captured return value ({@code trace/ArgEncoder}),
     * or null if the record has none or they were not joined (see {@link ArgGroups})
     */
    public long[] argWords() {
        return argWords;
    }

    /** Joins the value words of the ARGS records that followed this record. */
    public void setArgWords(final long[] words) {
        this.argWords = words;
    }

    /** @return how many records were dropped just before this one (LOST). */
    public long lostCount() {
        return type() == RecordDescriptor.TYPE_LOST ? payload1 : 0L;
    }

    /** @return the marker text (MARKER). */
    public String markerText() {
        return sideObject instanceof String ? (String) sideObject : null;
    }

    /** @return the stack frames (STACK). */
    public StackTraceElement[] stack() {
        return sideObject instanceof StackTraceElement[] ? (StackTraceElement[]) sideObject : null;
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder();
        sb.append(thread).append(" [").append(bufferId).append("] ").append(timestamp).append(": ")
            .append(RecordDescriptor.typeName(type())).append(" ip=").append(ip());
        switch (type()) {
            case RecordDescriptor.TYPE_FUNCTION:
                sb.append(" parent=").append(parentIp());
                break;
            case RecordDescriptor.TYPE_GRAPH_ENTRY:
                sb.append(" depth=").append(depth());
                break;
            case RecordDescriptor.TYPE_GRAPH_RETURN:
                sb.append(" depth=").append(depth()).append(" calltime=").append(callTime())
                    .append(exceptional() ? " exception" : " ret=0x" + Long.toHexString(returnValueBits()));
                break;
            case RecordDescriptor.TYPE_MARKER:
                sb.append(" text=").append(markerText());
                break;
            case RecordDescriptor.TYPE_STACK:
                sb.append(" frames=").append(depth());
                break;
            case RecordDescriptor.TYPE_LOST:
                sb.append(" count=").append(lostCount());
                break;
            case RecordDescriptor.TYPE_ARGS:
                sb.append(" slot=").append(argsIndex()).append('/').append(argsSlots());
                break;
            default:
                break;
        }
        return sb.toString();
    }
}
