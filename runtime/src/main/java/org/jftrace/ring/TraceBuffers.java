package org.jftrace.ring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * All trace buffers of one tracing instance (the JVM's {@code trace_array}: the top-level one, or one
 * under {@code instances/}) and their settings: buffer_size_kb, overwrite, trace_clock.
 *
 * <h2>Who writes where</h2>
 * <ul>
 *   <li>A platform thread gets its own {@link TraceBuffer} on its first {@link #current()} and keeps it.
 *       When the thread ends, the buffer stays readable until it has been consumed (by a
 *       {@link TracePipe}) or {@link #reset() reset}; then it is released.</li>
 *   <li>Virtual threads (JDK 21+) share a bounded pool of buffers, the way tasks share the kernel's
 *       per-CPU buffers: a virtual thread leases a free buffer on its first {@code current()} and keeps
 *       it until it ends; the next virtual thread appends to the same buffer after recording an owner
 *       change (see {@link OwnerHistory}), so records keep their writer's identity. A lease is returned
 *       when a later lease finds its thread dead ({@link Thread#isAlive()}, whose termination edge
 *       orders the dead thread's writes before the next owner's). Memory is therefore bounded by
 *       {@code maxVirtualBuffers * buffer_size_kb} however many virtual threads run. Writing into a
 *       carrier-owned buffer was rejected: a virtual thread can move to another carrier at any blocking
 *       point, and the JDK gives no cheap public way to find the current carrier. When all pooled
 *       buffers are leased to live virtual threads, further virtual threads get a shared sentinel
 *       that drops every record and counts it as lost; they try again on their next {@code current()}.</li>
 * </ul>
 *
 * <h2>Settings</h2>
 * <ul>
 *   <li>buffer_size_kb, per buffer, default {@value #DEFAULT_BUFFER_SIZE_KB} (65,535 records, at least
 *       the kernel's 1408 KB per CPU; a buffer starts at 16 KB and grows to it only as its thread
 *       writes). Rounded down to a power-of-two number of 32-byte slots. A change applies to buffers created afterwards and to existing buffers at the
 *       next {@link #reset()}: the reset hands each live buffer a new ring that its owner installs at its
 *       next write, so the owner stays the only writer.</li>
 *   <li>overwrite, default on: a full buffer overwrites its oldest records (counted as overrun); off, it
 *       keeps them and drops new ones (counted as lost, the gap marked by a LOST record). Takes effect
 *       at each owner's next write.</li>
 *   <li>the ended-threads budget ({@link #setEndedBudgetKb}): what ended threads' unread records may
 *       hold; see {@link #retireEnded()}.</li>
 *   <li>trace_clock, default {@code mono}; callers read {@link #clock()} per record.</li>
 * </ul>
 */
public final class TraceBuffers {

    /**
     * Default buffer_size_kb: 2 MB = 65536 slots of 32 bytes per thread, at least the kernel's usual
     * 1408 KB per CPU. A buffer starts at 16 KB and grows to this only if its thread writes that much.
     */
    public static final int DEFAULT_BUFFER_SIZE_KB = 2048;

    /** Default budget for ended threads' unread records: 64 MB. */
    public static final int DEFAULT_ENDED_BUDGET_KB = 64 * 1024;

    /** New platform buffers between two looks at ended threads' buffers (a power of two). */
    private static final int RETIRE_EVERY = 16;

    private static final TraceBuffer[] NONE = new TraceBuffer[0];

    private final ThreadLocal<TraceBuffer> local = new ThreadLocal<>();
    /** Serialises consumers and resets (trace_pipe readers, writes to trace). */
    final ReentrantLock consumeLock = new ReentrantLock();
    /** Guards the registry, the pool and the retired counters. */
    private final Object registryLock = new Object();

    private volatile TraceClock clock = TraceClock.MONO;
    private volatile boolean overwrite = true;
    private volatile int bufferSizeKb = DEFAULT_BUFFER_SIZE_KB;
    private volatile int maxVirtualBuffers = Math.max(16, 8 * Runtime.getRuntime().availableProcessors());
    private volatile long endedBudgetBytes = DEFAULT_ENDED_BUDGET_KB * 1024L;
    /** A drain thread that writers wake when their buffer is half full; may be null. */
    private volatile Thread drainThread;
    /** Told of ended threads' records dropped for the budget (a streaming drain); may be null. */
    private volatile DrainSink dropWatcher;

    /** Copy on write; read without the lock. */
    private volatile TraceBuffer[] registered = NONE;
    private final ArrayDeque<TraceBuffer> freePool = new ArrayDeque<>();
    private final ArrayList<TraceBuffer> leased = new ArrayList<>();
    private int pooledCount;
    private int nextId;
    private final TraceBuffer dropSentinel = new TraceBuffer(-1, this, 2, false, true);

    private long retiredWritten;
    private long retiredOverrun;
    private long retiredLost;

    /** An instance with the default settings. */
    public TraceBuffers() {
        dropSentinel.identity = ThreadIdentity.UNKNOWN;
    }

    // ------------------------------------------------------------------------------------------------
    // Writers
    // ------------------------------------------------------------------------------------------------

    /**
     * The calling thread's buffer. A ThreadLocal lookup (~1.2 ns): a tracer should fetch it once into
     * its own per-thread context and pass it to the write methods. The result must only be written by
     * the calling thread.
     *
     * @return the buffer, or the drop sentinel if a virtual thread found the pool exhausted
     */
    public TraceBuffer current() {
        final TraceBuffer b = local.get();
        return b != null ? b : currentSlowPath();
    }

    private TraceBuffer currentSlowPath() {
        final Thread thread = Thread.currentThread();
        final ThreadIdentity who = ThreadIdentity.of(thread);
        final TraceBuffer b;
        if (who.isVirtual()) {
            b = lease(thread);
            if (b == null) {
                return dropSentinel; // not cached: the next call tries the pool again
            }
        } else {
            b = new TraceBuffer(newId(), this, RecordDescriptor.slotsForSizeKb(bufferSizeKb), false, false);
            b.ownerThread = thread;
            b.beginOwnership(thread, who);
            register(b);
            if ((b.id & (RETIRE_EVERY - 1)) == 0) {
                retireEnded();
            }
        }
        if (b.pooled) {
            b.beginOwnership(thread, who); // as the new owner: we are now its only writer
        }
        local.set(b);
        return b;
    }

    private int newId() {
        synchronized (registryLock) {
            return nextId++;
        }
    }

    private void register(final TraceBuffer b) {
        synchronized (registryLock) {
            final TraceBuffer[] old = registered;
            final TraceBuffer[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = b;
            registered = grown;
        }
    }

    private TraceBuffer lease(final Thread thread) {
        synchronized (registryLock) {
            TraceBuffer b = freePool.poll();
            if (b == null) {
                reclaimDeadLeases();
                b = freePool.poll();
            }
            if (b == null && pooledCount < maxVirtualBuffers) {
                b = new TraceBuffer(nextId++, this, RecordDescriptor.slotsForSizeKb(bufferSizeKb), true, false);
                pooledCount++;
                final TraceBuffer[] old = registered;
                final TraceBuffer[] grown = Arrays.copyOf(old, old.length + 1);
                grown[old.length] = b;
                registered = grown;
            }
            if (b == null) {
                return null;
            }
            // set under the lock, so that no other lease can see the previous (dead) owner any more
            b.ownerThread = thread;
            leased.add(b);
            return b;
        }
    }

    /** Returns pooled buffers whose virtual thread has ended to the free pool. Under registryLock. */
    private void reclaimDeadLeases() {
        for (int i = leased.size() - 1; i >= 0; i--) {
            final TraceBuffer b = leased.get(i);
            if (b.ownerGone()) {
                final int last = leased.size() - 1;
                leased.set(i, leased.get(last));
                leased.remove(last);
                b.ownerThread = null;
                freePool.add(b);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Settings
    // ------------------------------------------------------------------------------------------------

    /** @return the trace_clock writers should stamp records with. */
    public TraceClock clock() {
        return clock;
    }

    /** @param clock the new trace_clock; records already written keep their old timestamps. */
    public void setClock(final TraceClock clock) {
        if (clock == null) {
            throw new IllegalArgumentException("trace_clock must not be null");
        }
        this.clock = clock;
    }

    /** @return whether full buffers overwrite their oldest records. */
    public boolean overwrite() {
        return overwrite;
    }

    /** @param overwrite the overwrite option; applied by each owner at its next write. */
    public void setOverwrite(final boolean overwrite) {
        this.overwrite = overwrite;
        for (TraceBuffer b : registered) {
            b.kick();
        }
    }

    /** @return buffer_size_kb for new buffers and the next reset. */
    public int bufferSizeKb() {
        return bufferSizeKb;
    }

    /**
     * @param sizeKb buffer_size_kb: applies to buffers created afterwards and to existing ones at the
     *               next {@link #reset()}
     */
    public void setBufferSizeKb(final int sizeKb) {
        RecordDescriptor.checkSizeKb(sizeKb);
        this.bufferSizeKb = sizeKb;
    }

    /** @return the budget, in KB, for records of ended threads not yet read. */
    public long endedBudgetKb() {
        return endedBudgetBytes / 1024;
    }

    /**
     * @param kb the budget for ended threads' unread records: past it, the oldest ended threads'
     *           records are dropped and counted as lost, so that threads that come and go cannot make
     *           the tracer hold more than the live threads' buffers plus this
     */
    public void setEndedBudgetKb(final long kb) {
        if (kb < 0) {
            throw new IllegalArgumentException("the ended-threads budget must not be negative: " + kb);
        }
        this.endedBudgetBytes = kb * 1024;
    }

    /** @return the most buffers lent to virtual threads. */
    public int maxVirtualBuffers() {
        return maxVirtualBuffers;
    }

    /** @param max the most buffers lent to virtual threads (existing ones are kept). */
    public void setMaxVirtualBuffers(final int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxVirtualBuffers must be positive: maxVirtualBuffers=" + max);
        }
        this.maxVirtualBuffers = max;
    }

    // ------------------------------------------------------------------------------------------------
    // Readers
    // ------------------------------------------------------------------------------------------------

    /** @return the registered buffers now (after releasing consumed buffers of ended threads). */
    public List<TraceBuffer> buffers() {
        releaseDrained();
        return List.of(registered);
    }

    TraceBuffer[] registered() {
        return registered;
    }

    /**
     * The {@code trace} file: every readable record of every buffer, merged by timestamp (ties by buffer
     * id, then write order). Consumes nothing; safe against concurrent writers (records overwritten
     * while being copied are left out, see {@link TraceBuffer}).
     *
     * @return the records, oldest first
     */
    public List<TraceRecord> snapshot() {
        releaseDrained();
        final List<TraceRecord> out = new ArrayList<>();
        for (TraceBuffer b : registered) {
            snapshotInto(b, out);
        }
        out.sort(Comparator.comparingLong(TraceRecord::timestamp).thenComparingInt(TraceRecord::bufferId)
            .thenComparingLong(TraceRecord::position));
        return out;
    }

    /**
     * The {@code per_cpu/cpuN/trace} file: one buffer's readable records in write order; consumes nothing.
     *
     * @param b a buffer of this instance
     * @return its records
     */
    public List<TraceRecord> snapshot(final TraceBuffer b) {
        final List<TraceRecord> out = new ArrayList<>();
        snapshotInto(b, out);
        return out;
    }

    private static void snapshotInto(final TraceBuffer b, final List<TraceRecord> out) {
        final ReadBatch batch = new ReadBatch((int) Math.min(Integer.MAX_VALUE / 8, b.capacity()));
        b.read(b.consumedPosition(), batch);
        final OwnerHistory.Segment[] owners = b.owners.snapshot();
        for (int i = 0; i < batch.count; i++) {
            final long p = batch.first + i;
            final TraceRecord r = new TraceRecord();
            r.set(b.id, p, OwnerHistory.ownerAt(owners, p), batch.words, batch.offset + i,
                batch.sides[batch.offset + i]);
            out.add(r);
        }
    }

    /** @return a consuming reader ({@code trace_pipe}). */
    public TracePipe pipe() {
        return new TracePipe(this);
    }

    /**
     * Empties every buffer ({@code echo > trace}): buffers of ended threads and free pooled buffers are
     * released, live ones are logically emptied, their counters restart, and the current
     * buffer_size_kb is applied to them (by their owner at its next write).
     */
    public void reset() {
        consumeLock.lock();
        try {
            synchronized (registryLock) {
                final int slots = RecordDescriptor.slotsForSizeKb(bufferSizeKb);
                reclaimDeadLeases();
                final List<TraceBuffer> keep = new ArrayList<>();
                for (TraceBuffer b : registered) {
                    if (b.pooled && b.ownerThread == null) {
                        freePool.remove(b);
                        pooledCount--;
                    } else if (!b.pooled && b.ownerGone()) {
                        continue; // the thread ended: release
                    } else {
                        b.reset(slots);
                        keep.add(b);
                    }
                }
                registered = keep.toArray(NONE);
                retiredWritten = 0;
                retiredOverrun = 0;
                retiredLost = 0;
                dropSentinel.reset(2);
            }
        } finally {
            consumeLock.unlock();
        }
    }

    /**
     * Bounds what ended threads keep. An ended platform thread's buffer is released, its unread records
     * counted as overrun, once they are older than what every live buffer that has wrapped still holds
     * (they would have been overwritten in a buffer shared over time, as ftrace's per-CPU buffers are);
     * and while ended threads' buffers together hold more than the budget, the oldest are released and
     * their unread records counted as lost. Skipped while a consumer reads (the next look retries), so
     * that no record is both read and counted as dropped.
     */
    void retireEnded() {
        if (!consumeLock.tryLock()) { // never waits: the caller is a thread on its first traced call
            return;
        }
        try {
            retireEndedLocked();
        } finally {
            consumeLock.unlock();
        }
    }

    private void retireEndedLocked() {
        synchronized (registryLock) {
            final TraceBuffer[] now = registered;
            long oldestLive = Long.MAX_VALUE;
            boolean anyWrapped = false;
            int ended = 0;
            long endedBytes = 0;
            for (TraceBuffer b : now) {
                if (b.pooled || b.dropOnly) {
                    continue;
                }
                if (b.ownerGone()) {
                    ended++;
                    endedBytes += b.memoryBytes();
                } else if (b.overrun() > 0) {
                    anyWrapped = true;
                    oldestLive = Math.min(oldestLive, b.oldestTimestamp());
                }
            }
            if (ended == 0) {
                return;
            }
            final TraceBuffer[] endedBuffers = new TraceBuffer[ended];
            int e = 0;
            for (TraceBuffer b : now) {
                if (!b.pooled && !b.dropOnly && b.ownerGone()) {
                    endedBuffers[e++] = b;
                }
            }
            // oldest newest record first
            final long[] newest = new long[ended];
            final long[] order = new long[ended]; // sorts as (newest, index): the index in the low bits
            for (int i = 0; i < ended; i++) {
                newest[i] = endedBuffers[i].newestTimestamp();
            }
            final int indexBits = 32 - Integer.numberOfLeadingZeros(ended);
            final long minNewest = min(newest);
            for (int i = 0; i < ended; i++) {
                final long rel = newest[i] == Long.MIN_VALUE ? 0 : Math.min(newest[i] - minNewest, (1L << (62 - indexBits)) - 1);
                order[i] = (rel << indexBits) | i;
            }
            Arrays.sort(order);
            final IdentityHashMap<TraceBuffer, Boolean> release = new IdentityHashMap<>();
            for (long o : order) {
                final int i = (int) (o & ((1L << indexBits) - 1));
                final TraceBuffer b = endedBuffers[i];
                final boolean superseded = anyWrapped && newest[i] < oldestLive;
                if (!superseded && endedBytes <= endedBudgetBytes) {
                    break;
                }
                final long unread = b.entriesInBuffer();
                retiredWritten += b.entriesWritten();
                retiredLost += b.lost();
                if (superseded) {
                    retiredOverrun += b.overrun() + unread;
                } else {
                    retiredOverrun += b.overrun();
                    retiredLost += unread;
                    final DrainSink w = dropWatcher;
                    if (w != null && unread > 0) {
                        w.dropped(b, unread, newest[i]);
                    }
                }
                endedBytes -= b.memoryBytes();
                release.put(b, Boolean.TRUE);
            }
            if (!release.isEmpty()) {
                final TraceBuffer[] keep = new TraceBuffer[now.length - release.size()];
                int k = 0;
                for (TraceBuffer b : now) {
                    if (!release.containsKey(b)) {
                        keep[k++] = b;
                    }
                }
                registered = keep;
            }
        }
    }

    private static long min(final long[] values) {
        long m = Long.MAX_VALUE;
        for (long v : values) {
            if (v != Long.MIN_VALUE) { // an empty buffer
                m = Math.min(m, v);
            }
        }
        return m == Long.MAX_VALUE ? 0 : m;
    }

    /**
     * Receives what a streaming drain consumes, buffer by buffer in write order ({@link #drain}).
     */
    public interface DrainSink {
        /** A record consumed from buffer b; {@code r} is reused for the next call. */
        void record(TraceBuffer b, TraceRecord r);

        /**
         * After each buffer's turn in a drain round.
         *
         * @param b          the buffer
         * @param writerLost records its writers dropped since the last reset (some marked by LOST records)
         * @param ended      its thread ended and everything it wrote was consumed: it is released now
         */
        void visited(TraceBuffer b, long writerLost, boolean ended);

        /**
         * Records of buffer b that were gone before they could be read: overwritten (overwrite on), or
         * dropped with an ended thread's buffer for the ended-threads budget.
         *
         * @param b         the buffer
         * @param count     how many
         * @param timestamp where they were lost: the next record's timestamp, or the newest one's
         */
        void dropped(TraceBuffer b, long count, long timestamp);
    }

    private final TraceRecord drainRecord = new TraceRecord();
    private ReadBatch drainBatch;

    /**
     * Tells the sink its visit of {@code b} is done. Whether the owner ended is read before the drop
     * count: a writer drops until it ends (its buffer stays full until the drain releases what it
     * read), and only once its end is seen is its count final (a thread's last actions happen-before
     * another thread sees it not alive). Read the other way round, the drops made between the two
     * reads went unmarked, and the buffer was retired with them.
     */
    private static void visit(final DrainSink sink, final TraceBuffer b) {
        final boolean ended = !b.pooled && b.ownerGone() && b.entriesInBuffer() == 0;
        sink.visited(b, b.lost(), ended);
    }

    /**
     * Consumes up to {@code maxPerBuffer} records of every buffer into sink, buffer by buffer (the drain
     * of a streaming recording). Serialised with other consumers by the consume lock; ended threads'
     * buffers are released once read to the end.
     *
     * @return the number of records consumed
     */
    public long drain(final DrainSink sink, final int maxPerBuffer) {
        long n = 0;
        consumeLock.lock();
        try {
            dropWatcher = sink;
            if (drainBatch == null || drainBatch.maxRecords != maxPerBuffer) {
                drainBatch = new ReadBatch(maxPerBuffer);
            }
            final ReadBatch batch = drainBatch;
            final TraceRecord r = drainRecord;
            for (TraceBuffer b : registered) {
                if (b.dropOnly) {
                    continue;
                }
                final long from = b.consumedPosition();
                b.read(from, batch);
                final long skipped = batch.first - from;
                if (batch.count == 0 && skipped == 0) {
                    visit(sink, b);
                    continue;
                }
                if (skipped > 0) {
                    sink.dropped(b, skipped, batch.count > 0 ? batch.words[batch.offset * RecordDescriptor.RECORD_WORDS]
                        : b.newestTimestamp());
                }
                final OwnerHistory.Segment[] owners = b.owners.snapshot();
                // a platform thread's buffer has one owner: no search per record
                final ThreadIdentity only = owners.length == 1 && owners[0].start <= batch.first ? owners[0].identity : null;
                for (int i = 0; i < batch.count; i++) {
                    final long p = batch.first + i;
                    r.set(b.id, p, only != null ? only : OwnerHistory.ownerAt(owners, p), batch.words, batch.offset + i,
                        batch.sides[batch.offset + i]);
                    sink.record(b, r);
                }
                b.consumeTo(batch.first + batch.count, skipped);
                n += batch.count;
                Arrays.fill(batch.sides, batch.offset, batch.offset + batch.count, null);
                visit(sink, b);
            }
        } finally {
            consumeLock.unlock();
        }
        releaseDrained();
        return n;
    }

    /**
     * @param thread the drain thread, woken (LockSupport.unpark) by a writer whose buffer is half full
     *               with overwrite off; null for none
     */
    public void setDrainThread(final Thread thread) {
        drainThread = thread;
    }

    /** Wakes the drain thread, if any. A writer's slow path: no allocation, no lock of ours. */
    void wakeDrain() {
        final Thread t = drainThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Stops telling a drain about dropped records and waking it. */
    public void endDrain() {
        dropWatcher = null;
        drainThread = null;
    }

    /**
     * Releases buffers of ended platform threads that have nothing left to read, keeping their counts
     * in the instance's totals.
     */
    void releaseDrained() {
        synchronized (registryLock) {
            TraceBuffer[] now = registered;
            int kept = 0;
            final TraceBuffer[] keep = new TraceBuffer[now.length];
            for (TraceBuffer b : now) {
                if (!b.pooled && b.ownerGone() && b.entriesInBuffer() == 0) {
                    retiredWritten += b.entriesWritten();
                    retiredOverrun += b.overrun();
                    retiredLost += b.lost();
                } else {
                    keep[kept++] = b;
                }
            }
            if (kept != now.length) {
                registered = Arrays.copyOf(keep, kept);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Counters, summed over all buffers (including released ones since the last reset)
    // ------------------------------------------------------------------------------------------------

    /** @return entries-in-buffer: records readable now in all buffers. */
    public long entriesInBuffer() {
        long sum = 0;
        for (TraceBuffer b : registered) {
            sum += b.entriesInBuffer();
        }
        return sum;
    }

    /** @return entries-written: records written since the last reset, in all buffers. */
    public long entriesWritten() {
        long sum;
        synchronized (registryLock) {
            sum = retiredWritten;
        }
        for (TraceBuffer b : registered) {
            sum += b.entriesWritten();
        }
        return sum;
    }

    /** @return records overwritten before being read, in all buffers. */
    public long overrun() {
        long sum;
        synchronized (registryLock) {
            sum = retiredOverrun;
        }
        for (TraceBuffer b : registered) {
            sum += b.overrun();
        }
        return sum;
    }

    /** @return records dropped (full buffer with overwrite off, or no buffer for a virtual thread). */
    public long lost() {
        long sum;
        synchronized (registryLock) {
            sum = retiredLost;
        }
        for (TraceBuffer b : registered) {
            sum += b.lost();
        }
        return sum + dropSentinel.lost();
    }

    /** @return approximate bytes held by all registered buffers. */
    public long memoryBytes() {
        long sum = 0;
        for (TraceBuffer b : registered) {
            sum += b.memoryBytes();
        }
        return sum;
    }

    /**
     * @return the trace header line, e.g. {@code # entries-in-buffer/entries-written: 140080/250280   #P:4},
     *         with #P the number of buffers
     */
    public String entriesHeader() {
        return "# entries-in-buffer/entries-written: " + entriesInBuffer() + "/" + entriesWritten() + "   #P:"
            + registered.length;
    }
}
