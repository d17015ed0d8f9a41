package org.jftrace.ring;

import static org.jftrace.ring.RecordDescriptor.FLAG_ARGS;
import static org.jftrace.ring.RecordDescriptor.FLAG_EXCEPTION;
import static org.jftrace.ring.RecordDescriptor.RECORD_WORDS;
import static org.jftrace.ring.RecordDescriptor.RECORD_WORDS_SHIFT;
import static org.jftrace.ring.RecordDescriptor.TYPE_ARGS;
import static org.jftrace.ring.RecordDescriptor.TYPE_FUNCTION;
import static org.jftrace.ring.RecordDescriptor.TYPE_GRAPH_ENTRY;
import static org.jftrace.ring.RecordDescriptor.TYPE_GRAPH_RETURN;
import static org.jftrace.ring.RecordDescriptor.TYPE_LOST;
import static org.jftrace.ring.RecordDescriptor.TYPE_MARKER;
import static org.jftrace.ring.RecordDescriptor.TYPE_STACK;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Fields read on every write but written rarely, and identity. */
abstract class TraceBufferColdFields {
    /** The buffer's number in its instance, the counterpart of a CPU number. */
    final int id;
    /** The instance (ftrace instance) that owns this buffer and its settings. */
    final TraceBuffers instance;
    /** Lent to virtual threads one after another, instead of belonging to one platform thread. */
    final boolean pooled;
    /** The drop-everything sentinel shared by threads that could not get a buffer. */
    final boolean dropOnly;
    /** Who wrote which records. */
    final OwnerHistory owners;
    /** The current owner thread, or null while a pooled buffer is free; guarded by the instance. */
    volatile Thread ownerThread;
    /** The current owner's identity. */
    volatile ThreadIdentity identity;

    TraceBufferColdFields(final int id, final TraceBuffers instance, final boolean pooled, final boolean dropOnly,
                          final OwnerHistory owners) {
        this.id = id;
        this.instance = instance;
        this.pooled = pooled;
        this.dropOnly = dropOnly;
        this.owners = owners;
    }
}

/** 128 bytes: keeps the producer fields off the cold fields' cache lines (and their neighbours'). */
abstract class TraceBufferPad1 extends TraceBufferColdFields {
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;

    TraceBufferPad1(final int id, final TraceBuffers instance, final boolean pooled, final boolean dropOnly,
                    final OwnerHistory owners) {
        super(id, instance, pooled, dropOnly, owners);
    }
}

/** Written by the owner (the single writer); read by readers through acquire loads. */
abstract class TraceBufferProducerFields extends TraceBufferPad1 {
    /** Owner's copy of ring.data. */
    long[] data;
    /** Owner's copy of ring.side. */
    Object[] side;
    /** Owner's copy of ring.mask. */
    int mask;
    /** Position of the next record; published with release after each record. */
    long head;
    /**
     * The owner writes without further checks while head &lt; limit. Written by the owner (slow path)
     * and set to Long.MIN_VALUE by readers to kick the owner into its slow path; all stores volatile.
     */
    long limit;
    /** Records dropped because the buffer was full (overwrite off); owner-written, release. */
    long lost;
    /** The storage readers use; the owner replaces it (release) when it applies a resize. */
    Ring ring;
    /** A reader asked the owner to look at pendingRing / the overwrite setting; volatile. */
    boolean kicked;
    /** A new ring the owner installs at its next write (resize at reset); getAndSet. */
    Ring pendingRing;
    /** The {@code local_counter} clock of this buffer's writer: owner only, never reset. */
    long ticks;
    /** lost when the last LOST record was written: owner only. */
    long lostMarked;

    TraceBufferProducerFields(final int id, final TraceBuffers instance, final boolean pooled,
                              final boolean dropOnly, final OwnerHistory owners) {
        super(id, instance, pooled, dropOnly, owners);
    }
}

/** 128 bytes between the owner's and the consumer's fields. */
abstract class TraceBufferPad2 extends TraceBufferProducerFields {
    long p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35, p36;

    TraceBufferPad2(final int id, final TraceBuffers instance, final boolean pooled, final boolean dropOnly,
                    final OwnerHistory owners) {
        super(id, instance, pooled, dropOnly, owners);
    }
}

/** Written by the consuming reader (under the instance's consume lock). */
abstract class TraceBufferConsumerFields extends TraceBufferPad2 {
    /** Position of the next record to consume; release, read by the owner with acquire when not overwriting. */
    long tail;
    /** Records the consumer found overwritten and skipped. */
    volatile long overrunSkipped;
    /** head at the last reset. */
    volatile long writtenBase;
    /** lost at the last reset. */
    volatile long lostBase;

    TraceBufferConsumerFields(final int id, final TraceBuffers instance, final boolean pooled,
                              final boolean dropOnly, final OwnerHistory owners) {
        super(id, instance, pooled, dropOnly, owners);
    }
}

/** 128 bytes after the consumer's fields. */
abstract class TraceBufferPad3 extends TraceBufferConsumerFields {
    long p41, p42, p43, p44, p45, p46, p47, p48, p49, p50, p51, p52, p53, p54, p55, p56;

    TraceBufferPad3(final int id, final TraceBuffers instance, final boolean pooled, final boolean dropOnly,
                    final OwnerHistory owners) {
        super(id, instance, pooled, dropOnly, owners);
    }
}

/**
 * One thread's trace buffer: the JVM's per-CPU {@code ring_buffer_per_cpu}. A ring of 32-byte records
 * ({@link RecordDescriptor}) in a {@code long[]}, written by exactly one thread, its owner, without
 * locks, allocation or exceptions; read by any number of snapshot readers and one consumer at a time.
 *
 * <h2>Positions</h2>
 * Every record has a position: 0, 1, 2, ... in write order, never reused (a reset does not rewind).
 * The record at position p lives in slot {@code p & mask}. {@code head} is the position of the next
 * record; {@code tail} the next record to consume. At most {@code capacity = slots - 1} records are
 * readable: the slot of position {@code head} is the owner's, possibly half-written over the record at
 * {@code head - slots}.
 *
 * <h2>Write protocol (owner)</h2>
 * <ol>
 *   <li>if {@code head >= limit} (opaque load) take the slow path: it honours kicks, and with overwrite
 *       off it checks the consumer's tail (acquire) and drops the record, counting it lost, when full;</li>
 *   <li>plain stores of the side reference (MARKER/STACK) and of the record's words into the slot (two
 *       to four: unused payload words are left as they are, see {@link RecordDescriptor});</li>
 *   <li>{@code head = p + 1} with a release store: the record happens-before any reader that sees it;</li>
 *   <li>a store-store fence, so that the next record's stores cannot become visible before this head
 *       (a reader seeing any word of the record at position q therefore also sees {@code head >= q}).</li>
 * </ol>
 * On x86 steps 3 and 4 compile to a plain store; the whole write is a bounds check, two to four stores
 * and an increment.
 *
 * <h2>Read protocol (snapshot and consumer): detect overwrites, never block the writer</h2>
 * <ol>
 *   <li>{@code r = ring} (acquire), {@code h1 = head} (acquire);</li>
 *   <li>copy the records of positions {@code [max(from, r.base, h1 - capacity), h1)}, with their side
 *       references;</li>
 *   <li>acquire fence (the copies complete before the next loads), {@code h2 = head}, {@code r2 = ring};</li>
 *   <li>if {@code r2 != r} the owner applied a resize: start again. Otherwise the copies of positions
 *       below {@code h2 - capacity} may have been torn by the owner while copying and are discarded;
 *       the rest are exact (by step 4 of the write protocol a torn slot at position p implies
 *       {@code h2 >= p + slots}).</li>
 * </ol>
 * With overwrite off the owner never writes at or past {@code tail + capacity}, so a consumer's copies
 * are always whole and nothing is lost or read twice; the consumer publishes {@code tail} with a
 * release store after copying, and the owner's acquire load of tail orders its reuse of those slots
 * after the copies.
 *
 * <h2>Counters</h2>
 * entries-written = records written since the last reset (including those since overwritten or
 * consumed); entries-in-buffer = records readable now; overrun = records overwritten before being
 * consumed (overwrite mode); lost = records dropped because the buffer was full (overwrite off).
 */
public final class TraceBuffer extends TraceBufferPad3 {

    /** Slots of a new buffer's first ring (16 KB); it doubles up to buffer_size_kb as its thread writes. */
    static final int FIRST_SLOTS = 512;

    private static final VarHandle HEAD;
    private static final VarHandle LIMIT;
    private static final VarHandle LOST;
    private static final VarHandle RING;
    private static final VarHandle KICKED;
    private static final VarHandle PENDING_RING;
    private static final VarHandle TAIL;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(TraceBufferProducerFields.class, "head", long.class);
            LIMIT = lookup.findVarHandle(TraceBufferProducerFields.class, "limit", long.class);
            LOST = lookup.findVarHandle(TraceBufferProducerFields.class, "lost", long.class);
            RING = lookup.findVarHandle(TraceBufferProducerFields.class, "ring", Ring.class);
            KICKED = lookup.findVarHandle(TraceBufferProducerFields.class, "kicked", boolean.class);
            PENDING_RING = lookup.findVarHandle(TraceBufferProducerFields.class, "pendingRing", Ring.class);
            TAIL = lookup.findVarHandle(TraceBufferConsumerFields.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    TraceBuffer(final int id, final TraceBuffers instance, final int slots, final boolean pooled,
                final boolean dropOnly) {
        super(id, instance, pooled, dropOnly, new OwnerHistory(historySize(pooled, slots)));
        final Ring r = new Ring(Math.min(slots, FIRST_SLOTS));
        r.growTo = slots;
        this.data = r.data;
        this.side = r.side;
        this.mask = r.mask;
        this.ring = r;
        // limit 0: the first write takes the slow path and computes the real limit from the settings.
        // Published to the owner by the ThreadLocal / pool hand-over, to readers by the registry.
        this.limit = dropOnly ? Long.MIN_VALUE : 0L;
    }

    private static int historySize(final boolean pooled, final int slots) {
        // one segment per lease: identities survive for the newest slots/4 owners, i.e. as long as the
        // virtual threads sharing the buffer write 4 records each on average (a platform buffer has one)
        return pooled ? Math.max(16, Integer.highestOneBit(Math.max(1, slots / 4))) : 1;
    }

    // ------------------------------------------------------------------------------------------------
    // Write side: owner thread only. Never locks, allocates or throws; a full buffer drops and counts.
    // ------------------------------------------------------------------------------------------------

    /**
     * function tracer record: {@code ip <- parentIp}. Owner thread only.
     *
     * @param timestamp trace_clock value
     * @param ip        function index
     * @param parentIp  caller's function index
     * @return true if stored, false if dropped (buffer full with overwrite off; counted as lost)
     */
    public boolean writeFunction(final long timestamp, final int ip, final int parentIp) {
        long h = head;
        if (h >= (long) LIMIT.getOpaque(this) && (h = writeSlowPath(h, timestamp, 1)) < 0) {
            return false;
        }
        put(h, timestamp, RecordDescriptor.header(TYPE_FUNCTION, 0, 0, ip), parentIp);
        return true;
    }

    /**
     * function_graph entry record. Owner thread only.
     *
     * @param timestamp trace_clock value at entry
     * @param ip        function index
     * @param depth     call depth (saturates at {@link RecordDescriptor#MAX_DEPTH})
     * @return true if stored, false if dropped and counted as lost
     */
    public boolean writeGraphEntry(final long timestamp, final int ip, final int depth) {
        long h = head;
        if (h >= (long) LIMIT.getOpaque(this) && (h = writeSlowPath(h, timestamp, 1)) < 0) {
            return false;
        }
        put(h, timestamp, RecordDescriptor.header(TYPE_GRAPH_ENTRY, 0, depth, ip));
        return true;
    }

    /**
     * function_graph return record. Owner thread only.
     *
     * @param timestamp    trace_clock value at return (rettime)
     * @param ip           function index
     * @param depth        call depth
     * @param callTime     trace_clock value at entry
     * @param returnBits   return value bits (e.g. {@code Double.doubleToRawLongBits}, or an identity hash)
     * @param exceptional  the function exited by throwing
     * @return true if stored, false if dropped and counted as lost
     */
    public boolean writeGraphReturn(final long timestamp, final int ip, final int depth, final long callTime,
                                    final long returnBits, final boolean exceptional) {
        long h = head;
        if (h >= (long) LIMIT.getOpaque(this) && (h = writeSlowPath(h, timestamp, 1)) < 0) {
            return false;
        }
        final int flags = exceptional ? FLAG_EXCEPTION : 0;
        put(h, timestamp, RecordDescriptor.header(TYPE_GRAPH_RETURN, flags, depth, ip), callTime, returnBits);
        return true;
    }

    /**
     * trace_marker record; the text goes to the side table. Owner thread only.
     *
     * @param timestamp trace_clock value
     * @param text      the marker text (kept by reference until the slot is reused)
     * @return true if stored, false if dropped and counted as lost
     */
    public boolean writeMarker(final long timestamp, final String text) {
        long h = head;
        if (h >= (long) LIMIT.getOpaque(this) && (h = writeSlowPath(h, timestamp, 1)) < 0) {
            return false;
        }
        side[(int) h & mask] = text; // ordered with the record's words by the same release/fence
        put(h, timestamp, RecordDescriptor.header(TYPE_MARKER, 0, 0, 0));
        return true;
    }

    /**
     * Stack trace record; the frames go to the side table. Owner thread only.
     *
     * @param timestamp trace_clock value
     * @param ip        function index the stack was taken in
     * @param frames    the frames, innermost first (kept by reference until the slot is reused)
     * @return true if stored, false if dropped and counted as lost
     */
    public boolean writeStack(final long timestamp, final int ip, final StackTraceElement[] frames) {
        long h = head;
        if (h >= (long) LIMIT.getOpaque(this) && (h = writeSlowPath(h, timestamp, 1)) < 0) {
            return false;
        }
        side[(int) h & mask] = frames;
        final int depth = frames == null ? 0 : frames.length;
        put(h, timestamp, RecordDescriptor.header(TYPE_STACK, 0, depth, ip));
        return true;
    }

    /**
     * function tracer record with its arguments (func-args): the record and its ARGS records, one
     * group. Owner thread only.
     *
     * @param words  the value words ({@code trace/ArgEncoder}); copied, so the caller reuses the array
     * @param nWords how many of them (at most {@code 2 * MAX_ARGS_SLOTS}); 0 writes the plain record
     * @return true if stored, false if dropped and counted as lost
     */
    public boolean writeFunctionArgs(final long timestamp, final int ip, final int parentIp, final long[] words,
                                     final int nWords) {
        return writeGroup(timestamp, RecordDescriptor.header(TYPE_FUNCTION, FLAG_ARGS, 0, ip), parentIp, 0L,
            words, nWords);
    }

    /** function_graph entry with its arguments (funcgraph-args); as {@link #writeFunctionArgs}. */
    public boolean writeGraphEntryArgs(final long timestamp, final int ip, final int depth, final long[] words,
                                       final int nWords) {
        return writeGroup(timestamp, RecordDescriptor.header(TYPE_GRAPH_ENTRY, FLAG_ARGS, depth, ip), 0L, 0L,
            words, nWords);
    }

    /**
     * function_graph return with its captured value (funcgraph-retval: a returned object or the
     * thrown exception's class); as {@link #writeFunctionArgs}.
     */
    public boolean writeGraphReturnArgs(final long timestamp, final int ip, final int depth, final long callTime,
                                        final long returnBits, final boolean exceptional, final long[] words,
                                        final int nWords) {
        final int flags = FLAG_ARGS | (exceptional ? FLAG_EXCEPTION : 0);
        return writeGroup(timestamp, RecordDescriptor.header(TYPE_GRAPH_RETURN, flags, depth, ip), callTime,
            returnBits, words, nWords);
    }

    /**
     * Writes an owner record and {@code k} ARGS records after it, published by one head store. A group
     * that would take more than half the buffer's slots (a tiny buffer_size_kb) is written without its
     * values: a reader must always be able to hold a whole group.
     */
    private boolean writeGroup(final long timestamp, final long header, final long payload1, final long payload2,
                               final long[] words, final int nWords) {
        final int k = Math.min((nWords + 1) >>> 1, RecordDescriptor.MAX_ARGS_SLOTS);
        final boolean fits = k > 0 && k + 1 <= (ring.growTo >>> 1);
        final int n = fits ? k + 1 : 1;
        long h = head;
        if (h + n > (long) LIMIT.getOpaque(this) && (h = writeSlowPath(h, timestamp, n)) < 0) {
            return false;
        }
        final long[] d = data;
        if (!fits) {
            put(h, timestamp, header & ~((long) FLAG_ARGS << 48), payload1, payload2);
            return true;
        }
        final int ip = RecordDescriptor.ip(header);
        for (int j = 0; j < k; j++) {
            final int i = slot(h + 1 + j);
            d[i] = timestamp;
            d[i + 1] = RecordDescriptor.header(TYPE_ARGS, j, k, ip);
            final int w = j << 1;
            d[i + 2] = words[w];
            d[i + 3] = w + 1 < nWords ? words[w + 1] : 0L;
        }
        final int i = slot(h);
        d[i] = timestamp;
        d[i + 1] = header;
        d[i + 2] = payload1;
        d[i + 3] = payload2;
        publish(h + k);
        return true;
    }

    // Each put stores its own words and hands on to the next shorter one; C2 inlines the chain. Payload
    // words a record's type does not use are left as they are: readers decode a payload word only for
    // the types that write it (TraceRecord).

    private void put(final long h, final long timestamp, final long header, final long payload1,
                     final long payload2) {
        data[slot(h) + 3] = payload2;
        put(h, timestamp, header, payload1);
    }

    private void put(final long h, final long timestamp, final long header, final long payload1) {
        data[slot(h) + 2] = payload1;
        put(h, timestamp, header);
    }

    private void put(final long h, final long timestamp, final long header) {
        final long[] d = data;
        final int i = slot(h);
        d[i] = timestamp;
        d[i + 1] = header;
        publish(h);
    }

    /** The index of the first word of position {@code h}'s slot. */
    private int slot(final long h) {
        return ((int) h & mask) << RECORD_WORDS_SHIFT;
    }

    private void publish(final long h) {
        // release: the record's words (and side reference) happen-before a reader's acquire of head >= h + 1
        HEAD.setRelease(this, h + 1);
        // the next record's stores must not pass this head store: a reader that sees a torn slot must
        // also see a head that tells it the slot is being overwritten (see the read protocol)
        VarHandle.storeStoreFence();
    }

    /**
     * Taken when head reaches limit: on the first write, after a kick, when the ring may grow, once the
     * buffer is full with overwrite off, and on every write of the drop sentinel. After records were
     * dropped, the first record that fits is preceded by a LOST record saying how many, so that readers
     * see where the gap is (ftrace's "[LOST n EVENTS]").
     *
     * @param h         head
     * @param timestamp the timestamp of the record to be written (also the LOST record's)
     * @param n         slots the record needs (more than 1 for a group with ARGS records)
     * @return the position to write the record at, or -1 if it is dropped (counted as lost)
     */
    private long writeSlowPath(long h, final long timestamp, final int n) {
        if (dropOnly) {
            LOST.getAndAdd(this, 1L); // shared by many threads: the only atomic increment in this class
            return -1;
        }
        long room;
        do {
            // clear the kick before looking at what it asks for; re-check it after publishing limit, so
            // a kick racing with us either is seen below or leaves limit = MIN_VALUE for the next write
            KICKED.setVolatile(this, false);
            final Ring pending = (Ring) PENDING_RING.getAndSet(this, null);
            if (pending != null) {
                install(pending, h);
            }
            final boolean overwriting = instance.overwrite();
            // acquire: the consumer's copies of the slots it released are complete before we reuse them
            final long readable = Math.max((long) TAIL.getAcquire(this), ring.base);
            if (h + n > readable + ring.capacity && ring.slots() < ring.growTo) {
                grow(h, Math.max(readable, h - ring.capacity));
            }
            final long newLimit;
            if (ring.slots() < ring.growTo) {
                // come back here when this ring is full, to grow it
                newLimit = Math.max(readable, ring.base) + ring.capacity;
                room = newLimit - h;
            } else if (overwriting) {
                newLimit = Long.MAX_VALUE;
                room = Long.MAX_VALUE;
            } else {
                // half full: wake the drain, if one is waiting, and go on to full
                final long full = readable + ring.capacity;
                final long half = readable + (ring.capacity >> 1);
                if (h >= half) {
                    instance.wakeDrain();
                    newLimit = full;
                } else {
                    newLimit = half;
                }
                room = full - h;
            }
            if (newLimit != limit) {
                LIMIT.setVolatile(this, newLimit);
            }
        } while ((boolean) KICKED.getVolatile(this));
        if (room < n) {
            LOST.setRelease(this, lost + 1);
            return -1;
        }
        final long unmarked = lost - lostMarked;
        if (unmarked > 0 && room >= n + 1) {
            put(h, timestamp, RecordDescriptor.header(TYPE_LOST, 0, 0, 0), unmarked);
            lostMarked = lost;
            h++;
        }
        return h;
    }

    /**
     * Replaces the ring by one twice as large holding the same records at the same positions: buffers
     * start small and grow to buffer_size_kb only if their thread writes that much, so a thread that
     * makes a few calls costs a few kilobytes. Owner only; readers holding the old ring see it replaced
     * and read again (the old ring is never written after this).
     *
     * @param h     head
     * @param from  the oldest readable position
     */
    private void grow(final long h, final long from) {
        final Ring old = ring;
        final Ring r = new Ring(Math.min(old.growTo, old.slots() << 1));
        r.growTo = old.growTo;
        for (long p = from; p < h; p++) {
            final int o = ((int) p & old.mask) << RECORD_WORDS_SHIFT;
            final int n = ((int) p & r.mask) << RECORD_WORDS_SHIFT;
            System.arraycopy(old.data, o, r.data, n, RECORD_WORDS);
            r.side[(int) p & r.mask] = old.side[(int) p & old.mask];
        }
        r.base = from;
        data = r.data;
        side = r.side;
        mask = r.mask;
        // release: the copied records and base are visible to readers that see this ring
        RING.setRelease(this, r);
    }

    private void install(final Ring r, final long h) {
        r.base = h;
        data = r.data;
        side = r.side;
        mask = r.mask;
        // release: base and the empty arrays are visible to readers that see this ring
        RING.setRelease(this, r);
        // the first record stored into r must not become visible before r itself
        VarHandle.storeStoreFence();
    }

    // ------------------------------------------------------------------------------------------------
    // Owner changes (pooled buffers), kicks and resets: slow paths.
    // ------------------------------------------------------------------------------------------------

    /**
     * Starts a new owner segment at the current head. Called by the new owner thread (so it stays the
     * single writer) after the instance handed the buffer to it.
     */
    void beginOwnership(final Thread thread, final ThreadIdentity who) {
        ownerThread = thread;
        identity = who;
        owners.append(head, who);
    }

    /** Forces the owner's next write into its slow path. Any thread. */
    void kick() {
        KICKED.setVolatile(this, true);
        LIMIT.setVolatile(this, Long.MIN_VALUE);
    }

    /**
     * Logically empties the buffer and restarts its counters; if slots differs from the current size the
     * owner swaps in a new ring at its next write. Consumer only (under the consume lock).
     */
    void reset(final int slots) {
        final long h = (long) HEAD.getAcquire(this);
        TAIL.setRelease(this, h);
        overrunSkipped = 0;
        writtenBase = h;
        lostBase = (long) LOST.getAcquire(this);
        if (slots != ((Ring) RING.getAcquire(this)).growTo) {
            final Ring r = new Ring(Math.min(slots, FIRST_SLOTS));
            r.growTo = slots;
            PENDING_RING.setRelease(this, r);
        }
        kick();
    }

    // ------------------------------------------------------------------------------------------------
    // Read side: any thread (snapshot), or the consumer holding the consume lock.
    // ------------------------------------------------------------------------------------------------

    /**
     * Copies up to {@code out.maxRecords} readable records at positions &gt;= from into out, following
     * the read protocol in the class comment. On return {@code out.first} is the position of the first
     * copied record (greater than from when records were overwritten or reset away).
     */
    void read(final long from, final ReadBatch out) {
        for (int attempt = 0; ; attempt++) {
            final Ring r = (Ring) RING.getAcquire(this);
            final long h1 = (long) HEAD.getAcquire(this);
            final long start = Math.max(Math.max(from, r.base), h1 - r.capacity);
            final long end = Math.max(start, Math.min(h1, start + out.maxRecords));
            final long[] d = r.data;
            final Object[] s = r.side;
            final long[] words = out.words;
            // at most two runs of slots: up to the end of the ring, and from its start
            int copied = 0;
            final int total = (int) (end - start);
            while (copied < total) {
                final int slot = (int) (start + copied) & r.mask;
                final int run = Math.min(total - copied, r.mask + 1 - slot);
                System.arraycopy(d, slot << RECORD_WORDS_SHIFT, words, copied << RECORD_WORDS_SHIFT,
                    run << RECORD_WORDS_SHIFT);
                System.arraycopy(s, slot, out.sides, copied, run);
                copied += run;
            }
            // the copies above complete before the re-reads below
            VarHandle.acquireFence();
            final long h2 = (long) HEAD.getAcquire(this);
            final Ring r2 = (Ring) RING.getAcquire(this);
            if (r2 != r) {
                continue; // a resize was applied while copying; the new ring has new positions
            }
            final long valid = Math.max(start, h2 - r.capacity);
            if (valid < end || end == start || attempt >= 8) {
                final long whole = wholeGroups(words, start, valid, end);
                out.ring = r;
                out.first = valid;
                out.offset = (int) Math.min(valid - start, whole - start);
                out.count = (int) Math.max(0, whole - valid);
                return;
            }
            // everything copied was overwritten meanwhile (writer lapped us): try again at the new window
        }
    }

    /**
     * Where a batch of copied records {@code [valid, end)} ends so that it holds no part of an ARGS
     * group without the rest: before the group the last record belongs to, unless that group is the
     * whole batch. A consumer then gets the group in its next batch, whole.
     */
    private static long wholeGroups(final long[] words, final long start, final long valid, final long end) {
        if (end <= valid) {
            return end;
        }
        final long last = end - 1;
        final long hdr = words[((int) (last - start) << RECORD_WORDS_SHIFT) + RecordDescriptor.HEADER_OFFSET];
        final int type = RecordDescriptor.type(hdr);
        final long cut;
        if (type == TYPE_ARGS) {
            final int i = RecordDescriptor.flags(hdr);
            if (i >= RecordDescriptor.depth(hdr) - 1) {
                return end;
            }
            cut = last - i - 1;
        } else if ((RecordDescriptor.flags(hdr) & FLAG_ARGS) != 0
            && (type == TYPE_FUNCTION || type == TYPE_GRAPH_ENTRY || type == TYPE_GRAPH_RETURN)) {
            cut = last;
        } else {
            return end;
        }
        return cut > valid ? cut : end;
    }

    /** @return the consumer's position; any thread. */
    long consumedPosition() {
        return (long) TAIL.getAcquire(this);
    }

    /**
     * Marks records before position as consumed. Consumer only.
     *
     * @param position  new tail
     * @param overwritten records found overwritten between the old tail and position
     */
    void consumeTo(final long position, final long overwritten) {
        if (overwritten > 0) {
            overrunSkipped = overrunSkipped + overwritten;
        }
        // release: our copies of the records before position are done; the owner may reuse their slots
        TAIL.setRelease(this, position);
    }

    /** @return the thread currently (or last) owning the buffer's writes. */
    public ThreadIdentity identity() {
        return identity;
    }

    /** @return the buffer's number in its instance (the CPU column). */
    public int id() {
        return id;
    }

    /** @return whether the buffer is lent to virtual threads one after another. */
    public boolean isPooled() {
        return pooled;
    }

    /** @return records readable now (entries-in-buffer). */
    public long entriesInBuffer() {
        final Ring r = (Ring) RING.getAcquire(this);
        final long h = (long) HEAD.getAcquire(this);
        final long t = (long) TAIL.getAcquire(this);
        return Math.max(0, h - Math.max(Math.max(t, r.base), h - r.capacity));
    }

    /** @return records written since the last reset (entries-written). */
    public long entriesWritten() {
        return (long) HEAD.getAcquire(this) - writtenBase;
    }

    /** @return records overwritten before they were consumed, since the last reset (overrun). */
    public long overrun() {
        final Ring r = (Ring) RING.getAcquire(this);
        final long h = (long) HEAD.getAcquire(this);
        final long t = (long) TAIL.getAcquire(this);
        return overrunSkipped + Math.max(0, h - r.capacity - Math.max(t, r.base));
    }

    /** @return records dropped because the buffer was full with overwrite off, since the last reset. */
    public long lost() {
        return (long) LOST.getAcquire(this) - lostBase;
    }

    /** @return record capacity of the current ring (slots - 1). */
    public long capacity() {
        return ((Ring) RING.getAcquire(this)).capacity;
    }

    /** @return approximate bytes of memory this buffer holds. */
    public long memoryBytes() {
        final Ring r = (Ring) RING.getAcquire(this);
        final Ring p = (Ring) PENDING_RING.getAcquire(this);
        return 256 + r.bytes() + (p == null ? 0 : p.bytes()) + owners.bytes();
    }

    /** @return the timestamp of the newest record, or Long.MIN_VALUE if none (exact once the owner ended). */
    long newestTimestamp() {
        final Ring r = (Ring) RING.getAcquire(this);
        final long h = (long) HEAD.getAcquire(this);
        if (h <= r.base) {
            return Long.MIN_VALUE;
        }
        return r.data[((int) (h - 1) & r.mask) << RECORD_WORDS_SHIFT];
    }

    /** @return the timestamp of the oldest readable record (racy against the owner: an estimate). */
    long oldestTimestamp() {
        final Ring r = (Ring) RING.getAcquire(this);
        final long h = (long) HEAD.getAcquire(this);
        final long from = Math.max(Math.max((long) TAIL.getAcquire(this), r.base), h - r.capacity);
        if (from >= h) {
            return Long.MAX_VALUE;
        }
        return r.data[((int) from & r.mask) << RECORD_WORDS_SHIFT];
    }

    /** @return whether the owner thread has ended (or a pooled buffer is free). */
    boolean ownerGone() {
        final Thread t = ownerThread;
        return t == null || !t.isAlive();
    }

    @Override
    public String toString() {
        return "TraceBuffer[id=" + id + ", owner=" + identity + ", entries=" + entriesInBuffer() + "/"
            + entriesWritten() + "]";
    }
}
