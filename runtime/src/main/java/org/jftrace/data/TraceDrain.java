package org.jftrace.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.jftrace.ftrace.DynFtrace;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.JdkSites;
import org.jftrace.ring.ArgGroups;
import org.jftrace.ring.RecordDescriptor;
import org.jftrace.ring.ThreadIdentity;
import org.jftrace.ring.TraceBuffer;
import org.jftrace.ring.TraceBuffers;
import org.jftrace.ring.TraceClock;
import org.jftrace.ring.TraceRecord;
import org.jftrace.trace.ArgClasses;
import org.jftrace.trace.TraceInstance;

/**
 * Streams a tracing instance's buffers to a trace data file while the program runs, as
 * {@code trace-cmd record} drains the kernel's per-CPU buffers: one drain thread consumes every
 * thread's buffer in turn and encodes what it read ({@link DataStreamWriter}), so the file holds the
 * whole run, ended threads included. Writers are untouched: they never wait for the drain and take
 * no lock. While the drain runs the instance does not overwrite: a buffer the drain has not emptied in
 * time drops new records, counts them, and marks the gap with a LOST record; the drain writes that
 * gap, and the records it found gone otherwise, as LOST records, and the totals in the STATS block.
 */
public final class TraceDrain implements TraceBuffers.DrainSink {

    /** Records read from one buffer per visit (and so at most per EVENTS block). */
    private static final int BATCH = 4096;
    /** Records found waiting in one buffer that make the drain skip compression in the next round. */
    private static final int BEHIND = BATCH / 4;
    /** How long the drain stays uncompressed after it was behind: bursts come in trains. */
    private static final long RAW_NANOS = 1_000_000_000L;
    private static final long MIN_PARK_NANOS = 200_000;
    /** Idle, the drain looks every 2 ms at most; a writer's half-full buffer wakes it sooner. */
    private static final long MAX_PARK_NANOS = 2_000_000;
    /** Hand the file its bytes at least this often, so that a killed JVM leaves most of its run behind. */
    private static final long FLUSH_NANOS = 200_000_000;

    private final TraceInstance instance;
    private final TraceBuffers buffers;
    private final Path file;
    private final OutputStream out;
    private final DataStreamWriter w;
    private final boolean overwriteBefore;
    private final Thread thread;
    private boolean behind;
    /** Blocks are stored raw until then: the drain was behind not long ago. */
    private long rawUntil = System.nanoTime();
    private volatile boolean stopping;
    private volatile IOException failure;

    // drain thread only
    private final Map<TraceBuffer, BufferState> states = new IdentityHashMap<>();
    private final Map<ThreadIdentity, Integer> threadKeys = new IdentityHashMap<>();
    private final BitSet declared = new BitSet();
    private final BitSet paramsDeclared = new BitSet();
    private final ArgGroups.Joiner joiner = new ArgGroups.Joiner();
    /** The buffer and block of the owner whose ARGS records come next, or null. */
    private TraceBuffer joinerBuffer;
    private BufferState joinerOpen;
    private BufferState open;
    private ThreadIdentity openOwner;
    private long kept;
    private long lost;
    private int[] endedIds = new int[64];
    private int[] endedThreads = new int[64];
    private long[] endedWritten = new long[64];
    private long[] endedLost = new long[64];
    private int endedCount;
    /** Losses told by other threads (ended threads' buffers dropped for the budget). */
    private final ArrayDeque<ForeignDrop> foreignDrops = new ArrayDeque<>();

    private TraceDrain(final TraceInstance instance, final Path file) throws IOException {
        this.instance = instance;
        this.buffers = instance.buffers();
        this.file = file;
        this.out = new ChunkWriter(file);
        this.w = new DataStreamWriter(out, true);
        meta();
        this.overwriteBefore = buffers.overwrite();
        buffers.setOverwrite(false);
        this.thread = new Thread(this::run, "jftrace-drain");
        thread.setDaemon(true);
    }

    /**
     * Starts streaming {@code instance}'s buffers to {@code file} (created or truncated).
     *
     * @throws IOException if the file cannot be written
     */
    public static TraceDrain start(final TraceInstance instance, final Path file) throws IOException {
        final TraceDrain d = new TraceDrain(instance, file);
        d.buffers.setDrainThread(d.thread);
        d.thread.start();
        return d;
    }

    private void meta() throws IOException {
        final TraceClock clock = buffers.clock();
        // the anchor is the tracing epoch, so that report prints the timestamps the trace file shows
        final long nanoNow = System.nanoTime();
        final long anchor = clock.isCounter() ? 0 : TraceInstance.EPOCH;
        final Instant now = Instant.now().minusNanos(clock.isCounter() ? 0 : nanoNow - anchor);
        final String cmd = ProcessHandle.current().info().commandLine().orElse("");
        w.meta(instance.tracer().name(), clock.name(), ProcessHandle.current().pid(), anchor,
            now.getEpochSecond() * 1_000_000_000L + now.getNano(), instance.options().show(),
            "java " + System.getProperty("java.version") + (cmd.isEmpty() ? "" : ": " + cmd));
    }

    private void run() {
        JdkSites.markTracerThread(); // the tracer's own: the JDK methods it calls are not traced
        long park = MIN_PARK_NANOS;
        long lastFlush = System.nanoTime();
        try {
            while (!stopping) {
                final long n = round();
                final long now = System.nanoTime();
                if (now - lastFlush > FLUSH_NANOS) {
                    w.flush();
                    lastFlush = now;
                }
                if (n == 0) {
                    LockSupport.parkNanos(park);
                    park = Math.min(park * 2, MAX_PARK_NANOS);
                } else {
                    park = MIN_PARK_NANOS;
                }
            }
        } catch (IOException e) {
            fail(e);
        } catch (DrainFailed e) {
            fail(e.getCause());
        } catch (RuntimeException | Error e) {
            fail(new IOException(e.toString(), e));
        }
    }

    /** A failed drain stops; the program goes on, and its buffers overwrite again if they did. */
    private void fail(final IOException e) {
        failure = e;
        buffers.endDrain();
        buffers.setOverwrite(overwriteBefore);
        System.err.println("jftrace: the trace data stopped at " + file + ": " + e.getMessage());
    }

    /**
     * One pass over every buffer; returns the records written. EVENTS blocks are deflated while the
     * drain keeps up and stored raw for a second after a visit found a quarter batch waiting: deflate
     * halves what the drain can read per second, and losing records to save disk is the wrong trade.
     */
    private long round() throws IOException {
        if (behind) {
            rawUntil = System.nanoTime() + RAW_NANOS;
            behind = false;
        }
        w.setDeflate(System.nanoTime() - rawUntil > 0);
        final long n = buffers.drain(this, BATCH);
        closeBlock();
        writeForeignDrops();
        return n;
    }

    @Override
    public void record(final TraceBuffer b, final TraceRecord r) {
        try {
            if (r.type() == RecordDescriptor.TYPE_ARGS) {
                args(b, r);
                return;
            }
            final BufferState s = stateOf(b);
            if (s != open || r.thread() != openOwner || w.eventCount() >= BATCH) {
                closeBlock();
                openBlock(s, r.thread(), r.timestamp());
            }
            final long ts = r.timestamp();
            s.lastTs = ts;
            switch (r.type()) {
                case RecordDescriptor.TYPE_FUNCTION:
                    declare(r.ip());
                    declare(r.parentIp());
                    w.call(ts, r.ip(), r.parentIp());
                    break;
                case RecordDescriptor.TYPE_GRAPH_ENTRY:
                    declare(r.ip());
                    w.entry(ts, r.ip(), r.depth());
                    break;
                case RecordDescriptor.TYPE_GRAPH_RETURN:
                    declare(r.ip());
                    w.ret(ts, r.ip(), r.depth(), ts - r.callTime(), r.exceptional(), r.returnValueBits());
                    break;
                case RecordDescriptor.TYPE_MARKER:
                    w.marker(ts, r.markerText());
                    break;
                case RecordDescriptor.TYPE_STACK:
                    w.stack(ts, frames(r.stack()));
                    break;
                case RecordDescriptor.TYPE_LOST:
                    w.lost(ts, r.lostCount());
                    s.lost += r.lostCount();
                    s.writerLostMarked += r.lostCount();
                    lost += r.lostCount();
                    return;
                default:
                    return;
            }
            s.kept++;
            kept++;
            if (r.hasArgs()) {
                joiner.start(r);
                joinerBuffer = b;
                joinerOpen = open;
            } else {
                joinerBuffer = null;
            }
        } catch (IOException e) {
            throw new DrainFailed(e);
        }
    }

    /**
     * An ARGS record: joined to its owner, the record just written to the open block (a read batch
     * never ends inside a group), and written after it as one ARGS record once its group is complete.
     * Not counted: a call with its arguments is one record, as it was for the writer's lost count.
     */
    private void args(final TraceBuffer b, final TraceRecord r) {
        if (joinerBuffer != b || open != joinerOpen || w.eventCount() == 0) {
            return; // an orphan (its owner was overwritten before the drain read it)
        }
        if (joiner.add(r)) {
            return;
        }
        joinerBuffer = null;
        if (joiner.complete(r)) {
            final DynFtrace rec = Ftrace.records().get(r.ip());
            final String names = rec == null ? null : rec.parameterNames();
            if (names != null && !paramsDeclared.get(r.ip())) {
                paramsDeclared.set(r.ip());
                w.parameters(r.ip(), names);
            }
            w.args(r.timestamp(), joiner.words(), ArgClasses::name);
        }
    }

    @Override
    public void dropped(final TraceBuffer b, final long count, final long timestamp) {
        if (Thread.currentThread() != thread && !stopping) {
            synchronized (foreignDrops) { // an application thread, retiring ended threads' buffers
                foreignDrops.add(new ForeignDrop(b, count, timestamp));
            }
            return;
        }
        try {
            lostAt(stateOf(b), b.identity(), count, timestamp);
        } catch (IOException e) {
            throw new DrainFailed(e);
        }
    }

    @Override
    public void visited(final TraceBuffer b, final long writerLost, final boolean ended) {
        if (open != null && open.buffer == b && w.eventCount() >= BEHIND) {
            behind = true; // this visit found a quarter batch waiting
        }
        final BufferState s = states.get(b);
        if (s == null) {
            return;
        }
        try {
            if (ended || stopping) {
                // drops no later record will mark: the thread ended, or the recording does
                final long unmarked = writerLost - s.writerLostMarked;
                if (unmarked > 0) {
                    s.writerLostMarked = writerLost;
                    lostAt(s, b.identity(), unmarked, s.lastTs);
                }
            }
            if (ended) {
                closeBlock();
                retire(s);
                states.remove(b);
            }
        } catch (IOException e) {
            throw new DrainFailed(e);
        }
    }

    private void lostAt(final BufferState s, final ThreadIdentity who, final long count, final long ts)
        throws IOException {
        if (open != s || openOwner != who) {
            closeBlock();
            openBlock(s, who, ts);
        }
        w.lost(Math.max(ts, s.lastTs), count);
        s.lost += count;
        lost += count;
    }

    private void writeForeignDrops() throws IOException {
        for (;;) {
            final ForeignDrop d;
            synchronized (foreignDrops) {
                d = foreignDrops.poll();
            }
            if (d == null) {
                return;
            }
            // the buffer was released: this is its last word
            final BufferState s = stateOf(d.buffer);
            lostAt(s, d.buffer.identity(), d.count, d.timestamp);
            closeBlock();
            retire(s);
            states.remove(d.buffer);
        }
    }

    private BufferState stateOf(final TraceBuffer b) {
        final BufferState o = open;
        if (o != null && o.buffer == b) {
            return o;
        }
        BufferState s = states.get(b);
        if (s == null) {
            s = new BufferState(b);
            states.put(b, s);
        }
        return s;
    }

    private void openBlock(final BufferState s, final ThreadIdentity who, final long ts) {
        s.threadKey = threadKey(who);
        w.beginEvents(s.id, s.threadKey, ts);
        open = s;
        openOwner = who;
    }

    private void closeBlock() throws IOException {
        if (open != null) {
            w.endEvents();
            open = null;
            openOwner = null;
        }
    }

    private int threadKey(final ThreadIdentity who) {
        Integer k = threadKeys.get(who);
        if (k == null) {
            if (threadKeys.size() >= 1 << 16) {
                threadKeys.clear(); // ended threads' keys; a thread seen again is declared again
            }
            k = nextThreadKey++;
            threadKeys.put(who, k);
            w.thread(k, who.threadId(), who.name(), who.isVirtual());
        }
        return k;
    }

    private int nextThreadKey;
    /** The last function declared: most records repeat a recent one. */
    private int lastDeclared;

    private void declare(final int ip) {
        if (ip == lastDeclared || ip <= 0 || declared.get(ip)) {
            return;
        }
        lastDeclared = ip;
        declared.set(ip);
        final DynFtrace rec = Ftrace.records().get(ip);
        w.function(ip, rec == null ? "0x" + Integer.toHexString(ip) : rec.name());
    }

    private static String[] frames(final StackTraceElement[] st) {
        if (st == null) {
            return new String[0];
        }
        final String[] f = new String[st.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = st[i].getClassName() + "." + st[i].getMethodName();
        }
        return f;
    }

    private void retire(final BufferState s) {
        if (endedCount == endedIds.length) {
            final int n = endedCount * 2;
            endedIds = Arrays.copyOf(endedIds, n);
            endedThreads = Arrays.copyOf(endedThreads, n);
            endedWritten = Arrays.copyOf(endedWritten, n);
            endedLost = Arrays.copyOf(endedLost, n);
        }
        endedIds[endedCount] = s.id;
        endedThreads[endedCount] = s.threadKey;
        endedWritten[endedCount] = s.kept + s.lost;
        endedLost[endedCount] = s.lost;
        endedCount++;
    }

    /**
     * Stops the drain: reads what is left, marks the drops no record followed, writes the STATS and END
     * blocks and closes the file. The instance overwrites again if it did before.
     *
     * @return what the file holds
     * @throws IOException if writing failed at any point
     */
    public Summary stop() throws IOException {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (failure == null) {
                // the final rounds run here, with stopping set: visited() marks every unmarked drop
                while (round() > 0) {
                    // until the buffers are empty (writers may still be running)
                }
                for (BufferState s : states.values()) {
                    // drops no visit marked: a buffer released as its owner ended, between two visits
                    final long unmarked = s.buffer.lost() - s.writerLostMarked;
                    if (unmarked > 0) {
                        s.writerLostMarked += unmarked;
                        lostAt(s, s.buffer.identity(), unmarked, s.lastTs);
                    }
                    retire(s);
                }
                states.clear();
                final int n = endedCount;
                w.stats(kept + lost, lost, Arrays.copyOf(endedIds, n), Arrays.copyOf(endedThreads, n),
                    Arrays.copyOf(endedWritten, n), Arrays.copyOf(endedLost, n));
                w.close();
            }
        } catch (DrainFailed e) {
            failure = e.getCause();
        } finally {
            buffers.endDrain();
            buffers.setOverwrite(overwriteBefore);
            out.close();
        }
        if (failure != null) {
            throw new IOException("cannot write the trace data to " + file + ": " + failure.getMessage(), failure);
        }
        return new Summary(file, kept + lost, lost, w.bytesWritten());
    }

    private static TraceDrain active;

    /**
     * Starts the JVM's streaming recording (one at a time: {@code data=FILE}, {@code attach --data}).
     *
     * @throws IllegalStateException if one is running
     * @throws IOException           if the file cannot be written
     */
    public static synchronized TraceDrain startRecording(final TraceInstance instance, final Path file)
        throws IOException {
        if (active != null) {
            throw new IllegalStateException("trace data is already being written to " + active.file);
        }
        active = start(instance, file);
        return active;
    }

    /** @return the running recording, or null. */
    public static synchronized TraceDrain recording() {
        return active;
    }

    /**
     * Stops the JVM's streaming recording.
     *
     * @return what it wrote, or null if none was running
     */
    public static synchronized Summary stopRecording() throws IOException {
        final TraceDrain d = active;
        active = null;
        return d == null ? null : d.stop();
    }

    /** @return the file being written. */
    public Path file() {
        return file;
    }

    /** @return records written to the file so far (drain thread's view; for progress only). */
    public long kept() {
        return kept;
    }

    /** What a stopped drain wrote. */
    public static final class Summary {
        public final Path file;
        public final long written;
        public final long lost;
        public final long bytes;

        Summary(final Path file, final long written, final long lost, final long bytes) {
            this.file = file;
            this.written = written;
            this.lost = lost;
            this.bytes = bytes;
        }

        /** The line {@code record} and {@code attach} print at the end. */
        public String line() {
            final long kept = written - lost;
            final StringBuilder sb = new StringBuilder();
            sb.append(kept).append(" events written to ").append(file).append(" (").append(bytes / 1024).append(" KB)");
            if (lost > 0) {
                sb.append("; LOST ").append(lost).append(" of ").append(written)
                    .append(" events: the drain could not keep up (a larger buffer_size_kb or fewer traced functions helps)");
            } else {
                sb.append(", none lost");
            }
            return sb.toString();
        }
    }

    /** Records of an ended thread's buffer dropped for the budget by an application thread. */
    private static final class ForeignDrop {
        final TraceBuffer buffer;
        final long count;
        final long timestamp;

        ForeignDrop(final TraceBuffer buffer, final long count, final long timestamp) {
            this.buffer = buffer;
            this.count = count;
            this.timestamp = timestamp;
        }
    }

    /** Per-buffer accounting, drain thread only. */
    private static final class BufferState {
        final TraceBuffer buffer;
        final int id;
        int threadKey;
        long lastTs;
        long kept;
        long lost;
        /** The writer's lost count covered by LOST records so far. */
        long writerLostMarked;

        BufferState(final TraceBuffer buffer) {
            this.buffer = buffer;
            this.id = buffer.id();
        }
    }

    /** An I/O failure inside a sink callback, carried out of the buffers' drain loop. */
    private static final class DrainFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DrainFailed(final IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
