package org.jftrace.ring;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The {@code trace_pipe} file: a consuming reader of all buffers of a {@link TraceBuffers} instance.
 * Each call returns the oldest record (by timestamp) among the buffers' next unconsumed records and
 * consumes it; a poll can wait for data with a timeout.
 *
 * <p>Guarantees: within one buffer, records come in write order, each exactly once (with overwrite
 * off nothing accepted by a writer is lost; with overwrite on, records overwritten before being read
 * are skipped and counted as overrun). Across buffers the order is by timestamp among the records
 * visible when the choice is made; as with the kernel's trace_pipe, a writer that took its timestamp
 * before but published after a record from another buffer was returned comes out later.
 *
 * <p>Consumers are serialised by the instance's consume lock, so several pipes (or a pipe and a
 * reset) may be used from several threads; every pipe re-checks a buffer's consumed position before
 * returning a record it copied earlier, so no record is returned twice. Writers are never blocked and
 * never signal: a waiting poll parks with a backoff from 10 µs to 1 ms.
 */
public final class TracePipe {

    private static final int BATCH_RECORDS = 256;
    private static final long MIN_PARK_NANOS = 10_000;
    private static final long MAX_PARK_NANOS = 1_000_000;

    private final TraceBuffers instance;
    private final Map<TraceBuffer, Cursor> cursors = new IdentityHashMap<>();

    TracePipe(final TraceBuffers instance) {
        this.instance = instance;
    }

    /**
     * Consumes the oldest available record, waiting up to timeout for one.
     *
     * @param into    receives the record
     * @param timeout how long to wait; 0 does not wait
     * @param unit    timeout's unit
     * @return true if a record was consumed into {@code into}, false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean poll(final TraceRecord into, final long timeout, final TimeUnit unit) throws InterruptedException {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        long park = MIN_PARK_NANOS;
        for (;;) {
            if (tryTake(into)) {
                return true;
            }
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            LockSupport.parkNanos(Math.min(park, left));
            park = Math.min(park * 2, MAX_PARK_NANOS);
        }
    }

    /**
     * Consumes up to max available records without waiting.
     *
     * @param sink receives each record (the same instance, refilled; copy it to keep it)
     * @param max  the most records to consume
     * @return the number consumed
     */
    public int drain(final Consumer<TraceRecord> sink, final int max) {
        final TraceRecord r = new TraceRecord();
        int n = 0;
        while (n < max && tryTake(r)) {
            sink.accept(r);
            n++;
        }
        return n;
    }

    private boolean tryTake(final TraceRecord into) {
        instance.consumeLock.lock();
        try {
            final TraceBuffer[] all = instance.registered();
            if (cursors.size() > all.length) {
                forgetReleased(all);
            }
            Cursor best = null;
            for (TraceBuffer b : all) {
                Cursor c = cursors.get(b);
                if (c == null) {
                    c = new Cursor(b);
                    cursors.put(b, c);
                }
                if (c.ready() && (best == null || c.timestamp() < best.timestamp())) {
                    best = c;
                }
            }
            if (best == null) {
                instance.releaseDrained(); // ended threads' buffers are now consumed
                return false;
            }
            best.emit(into);
            return true;
        } finally {
            instance.consumeLock.unlock();
        }
    }

    private void forgetReleased(final TraceBuffer[] all) {
        final Map<TraceBuffer, Cursor> live = new IdentityHashMap<>();
        for (TraceBuffer b : all) {
            final Cursor c = cursors.get(b);
            if (c != null) {
                live.put(b, c);
            }
        }
        cursors.clear();
        cursors.putAll(live);
    }

    /** A pipe's position in one buffer, with records copied ahead. Used under the consume lock. */
    private static final class Cursor {
        private final TraceBuffer buffer;
        private final ReadBatch batch = new ReadBatch(BATCH_RECORDS);
        private OwnerHistory.Segment[] owners;
        private long position;
        private int index;

        Cursor(final TraceBuffer buffer) {
            this.buffer = buffer;
        }

        /** @return whether a record is ready at {@link #position}, refilling the batch if needed. */
        boolean ready() {
            if (index < batch.count && buffer.consumedPosition() == position) {
                return true;
            }
            final long from = buffer.consumedPosition();
            buffer.read(from, batch);
            if (batch.first > from) {
                buffer.consumeTo(batch.first, batch.first - from); // overwritten before we got to them
            }
            position = batch.first;
            index = 0;
            if (batch.count == 0) {
                batch.clearSides();
                return false;
            }
            owners = buffer.owners.snapshot();
            return true;
        }

        long timestamp() {
            return batch.words[(batch.offset + index) * RecordDescriptor.RECORD_WORDS];
        }

        void emit(final TraceRecord into) {
            final int i = batch.offset + index;
            into.set(buffer.id, position, OwnerHistory.ownerAt(owners, position), batch.words, i, batch.sides[i]);
            batch.sides[i] = null;
            position++;
            index++;
            buffer.consumeTo(position, 0);
        }
    }
}
