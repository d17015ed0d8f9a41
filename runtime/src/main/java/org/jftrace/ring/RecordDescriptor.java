package org.jftrace.ring;

/**
 * Layout of one trace record: four {@code long}s (32 bytes), the JVM's {@code struct ring_buffer_event}
 * plus its payload, in a slot of a {@link TraceBuffer}'s {@code long[]} ring.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     timestamp (trace_clock)                   |  word 0
 *  |                                                               |
 *  +---------------+---------------+-------------------------------+
 *  |  type (8)     |  flags (8)    |  depth (16)                   |  word 1, bits 63..32
 *  +---------------+---------------+-------------------------------+
 *  |                     ip: function index (32)                   |  word 1, bits 31..0
 *  +---------------------------------------------------------------+
 *  |                     payload 1                                 |  word 2
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     payload 2                                 |  word 3
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Payloads per type:
 * <pre>
 *  type          ip         depth   flags            payload 1             payload 2
 *  FUNCTION      function   -       -                parent ip             -
 *  GRAPH_ENTRY   function   depth   -                -                     -
 *  GRAPH_RETURN  function   depth   FLAG_EXCEPTION   calltime              return value bits
 *  MARKER        -          -       -                -                     -
 *  STACK         function   frames  -                -                     -
 *  LOST          -          -       -                records dropped       -
 *  ARGS          owner's    slots   slot index       value words 2i        value words 2i+1
 * </pre>
 * A payload word marked {@code -} is not written: it holds whatever an older record left in the slot,
 * and readers never decode it ({@link TraceRecord}'s accessors check the type first). Two fewer stores
 * for a graph entry, one for a function record.
 *
 * <p>MARKER text and STACK frames do not fit in 32 bytes. They go to the buffer's side table: an
 * {@code Object[]} parallel to the record slots, written by the same single writer, where slot i holds
 * the object of the record in record slot i. A side entry is therefore overwritten exactly when its
 * record is; readers copy the side reference together with the record words and validate both with
 * the same head check (see {@link TraceBuffer}). Every record stays one slot, so readers never
 * reassemble records spanning slots and markers cost no more ring space than a function record. The
 * price: a side slot keeps its object reachable until a later MARKER/STACK record reuses the slot
 * (bounded by the number of slots).
 *
 * <p>Arguments and captured return values (func-args, funcgraph-args, funcgraph-retval) do not fit
 * either, and must not allocate. They follow their owner record (FUNCTION, GRAPH_ENTRY or
 * GRAPH_RETURN, marked {@link #FLAG_ARGS}) as ARGS records in the next slots: a group written and
 * published at once, so a reader never sees an owner without its ARGS ({@link TraceBuffer#read} never
 * ends a batch inside a group either). ARGS slot i of k (flags = i, depth = k) carries value words
 * 2i and 2i+1 (see {@code trace/ArgEncoder}) and its owner's timestamp, so merges by time keep the
 * group together. An ARGS record whose owner was overwritten is an orphan: readers drop it. Records
 * of calls without arguments are unchanged.
 *
 * <p>Type 0 ({@link #TYPE_NONE}) is never written; a zeroed slot therefore never decodes as a record.
 */
public final class RecordDescriptor {

    /** Bytes per record. */
    public static final int RECORD_BYTES = 32;
    /** {@code long}s per record. */
    public static final int RECORD_WORDS = 4;
    /** log2 of {@link #RECORD_WORDS}: slot index to word index shift. */
    public static final int RECORD_WORDS_SHIFT = 2;

    /** Word offset of the timestamp. */
    public static final int TIMESTAMP_OFFSET = 0;
    /** Word offset of the packed type/flags/depth/ip header. */
    public static final int HEADER_OFFSET = 1;
    /** Word offset of payload 1. */
    public static final int PAYLOAD1_OFFSET = 2;
    /** Word offset of payload 2. */
    public static final int PAYLOAD2_OFFSET = 3;

    /** Never written: an empty slot. */
    public static final int TYPE_NONE = 0;
    /** function tracer: {@code ip <- parentIp}. */
    public static final int TYPE_FUNCTION = 1;
    /** function_graph entry: {@code ip() {} at depth}. */
    public static final int TYPE_GRAPH_ENTRY = 2;
    /** function_graph return: {@code } at depth}, with calltime and return value. */
    public static final int TYPE_GRAPH_RETURN = 3;
    /** trace_marker text, kept in the side table. */
    public static final int TYPE_MARKER = 4;
    /** stack trace, kept in the side table. */
    public static final int TYPE_STACK = 5;

    /** Records dropped before this point: payload 1 is how many (ftrace's "[LOST n EVENTS]"). */
    public static final int TYPE_LOST = 6;

    /** Argument or return value words of the record {@code flags + 1} positions before (see above). */
    public static final int TYPE_ARGS = 7;

    /** GRAPH_RETURN: the function exited by throwing; payload 2 is then 0. */
    public static final int FLAG_EXCEPTION = 0x01;

    /** FUNCTION, GRAPH_ENTRY, GRAPH_RETURN: ARGS records follow in the next slots. */
    public static final int FLAG_ARGS = 0x02;

    /** Most ARGS slots a group may have: value words beyond {@code 2 * MAX_ARGS_SLOTS} are not kept. */
    public static final int MAX_ARGS_SLOTS = 32;

    /** Largest depth a record can hold; deeper values saturate to it. */
    public static final int MAX_DEPTH = 0xFFFF;

    private static final int TYPE_SHIFT = 56;
    private static final int FLAGS_SHIFT = 48;
    private static final int DEPTH_SHIFT = 32;
    private static final long IP_MASK = 0xFFFF_FFFFL;

    private RecordDescriptor() {
    }

    /**
     * Packs word 1. Depth saturates at {@link #MAX_DEPTH} rather than wrapping (negative depth packs as 0).
     *
     * @param type  one of the {@code TYPE_*} constants
     * @param flags {@code FLAG_*} bits
     * @param depth call depth
     * @param ip    function index
     * @return the header word
     */
    public static long header(final int type, final int flags, final int depth, final int ip) {
        final long d = Math.min(Math.max(depth, 0), MAX_DEPTH);
        return ((long) type << TYPE_SHIFT) | ((long) (flags & 0xFF) << FLAGS_SHIFT) | (d << DEPTH_SHIFT)
            | (ip & IP_MASK);
    }

    /** @return the type of a header word. */
    public static int type(final long header) {
        return (int) (header >>> TYPE_SHIFT);
    }

    /** @return the flags of a header word. */
    public static int flags(final long header) {
        return (int) (header >>> FLAGS_SHIFT) & 0xFF;
    }

    /** @return the depth of a header word. */
    public static int depth(final long header) {
        return (int) (header >>> DEPTH_SHIFT) & 0xFFFF;
    }

    /** @return the function index of a header word. */
    public static int ip(final long header) {
        return (int) header;
    }

    /** @return whether records of this type keep an object in the side table. */
    public static boolean usesSideTable(final int type) {
        return type == TYPE_MARKER || type == TYPE_STACK;
    }

    /** @return the type's name as the tracers print it, or {@code "unknown"}. */
    public static String typeName(final int type) {
        switch (type) {
            case TYPE_FUNCTION: return "function";
            case TYPE_GRAPH_ENTRY: return "graph_entry";
            case TYPE_GRAPH_RETURN: return "graph_return";
            case TYPE_MARKER: return "marker";
            case TYPE_STACK: return "stack";
            case TYPE_LOST: return "lost";
            case TYPE_ARGS: return "args";
            default: return "unknown";
        }
    }

    /**
     * Number of record slots for a buffer of {@code sizeKb} kilobytes: the largest power of two of
     * 32-byte slots that fits, at least 2 (one slot is always the writer's; see {@link TraceBuffer}).
     *
     * @param sizeKb buffer_size_kb, must be positive
     * @return slots, a power of two
     * @throws IllegalArgumentException if sizeKb is not positive or too large
     */
    public static int slotsForSizeKb(final int sizeKb) {
        checkSizeKb(sizeKb);
        final long slots = (long) sizeKb * 1024 / RECORD_BYTES;
        return Math.max(2, Integer.highestOneBit((int) Math.min(slots, 1 << 26)));
    }

    /**
     * Validates a buffer_size_kb value.
     *
     * @param sizeKb the value
     * @throws IllegalArgumentException if not in 1..2097152 (2 GiB)
     */
    public static void checkSizeKb(final int sizeKb) {
        if (sizeKb < 1 || sizeKb > 2 * 1024 * 1024) {
            throw new IllegalArgumentException("buffer_size_kb must be in 1..2097152: buffer_size_kb=" + sizeKb);
        }
    }
}
