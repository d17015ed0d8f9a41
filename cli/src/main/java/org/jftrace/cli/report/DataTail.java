package org.jftrace.cli.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * Reads a trace data file while the traced JVM is still writing it: each {@link #poll} takes the
 * blocks completed since the last one (a block is complete when its length's worth of bytes is there
 * and its checksum matches) and hands their records to the listener in file order. Within a thread
 * that is write order, which is all a consumer of calls needs; it never merges buffers, so it keeps
 * no block once read.
 */
public final class DataTail implements AutoCloseable {

    /** Hears of a stream's start, its records and its end. */
    public interface Listener {
        /** The stream's META has been read. */
        void stream(Jvm jvm) throws IOException;

        /** A record of an EVENTS block; {@code r} is reused after the call. */
        void record(Jvm jvm, Record r) throws IOException;

        /** The stream ended: with its END block ({@code clean}) or cut short when the reading stopped. */
        void end(Jvm jvm, boolean clean) throws IOException;
    }

    private final Path path;
    private final Listener listener;
    private final CRC32 crc = new CRC32();
    private final EventsReader events = new EventsReader();
    private final Record r = new Record();
    private final byte[] header = new byte[DataFormat.STREAM_HEADER];
    private byte[] payload = new byte[1 << 16];
    private FileChannel ch;
    private long pos;
    private Jvm jvm;
    private boolean ended;

    public DataTail(Path path, Listener listener) {
        this.path = path;
        this.listener = listener;
    }

    public Path path() {
        return path;
    }

    /** Whether the stream has ended with its END block. */
    public boolean ended() {
        return ended;
    }

    /**
     * Reads what has been completed since the last call.
     *
     * @return whether anything was read
     * @throws BadDataException if the file is not trace data or a block's checksum does not match
     */
    public boolean poll() throws IOException {
        return poll(Integer.MAX_VALUE);
    }

    /** As {@link #poll()}, but reads at most {@code maxBlocks} blocks: a consumer that must wait can. */
    public boolean poll(int maxBlocks) throws IOException {
        if (ended) {
            return false;
        }
        if (ch == null) {
            try {
                ch = FileChannel.open(path, StandardOpenOption.READ);
            } catch (NoSuchFileException notYet) {
                return false;
            }
        }
        long size = ch.size();
        boolean read = false;
        int blocks = 0;
        while (!ended && blocks < maxBlocks) {
            if (jvm == null) {
                if (size - pos < DataFormat.STREAM_HEADER) {
                    break;
                }
                readFully(pos, header, DataFormat.STREAM_HEADER);
                if (!Arrays.equals(header, 0, DataFormat.MAGIC.length, DataFormat.MAGIC, 0, DataFormat.MAGIC.length)) {
                    throw new BadDataException(path + ": not jftrace trace data at byte " + pos);
                }
                int version = ((header[8] & 0xFF) << 8) | (header[9] & 0xFF);
                if (version != DataFormat.VERSION) {
                    throw new BadDataException(path + ": trace data version " + version + " (this jftrace reads version "
                            + DataFormat.VERSION + ")");
                }
                pos += DataFormat.STREAM_HEADER;
                jvm = new Jvm();
                read = true;
                continue;
            }
            if (size - pos < DataFormat.BLOCK_HEADER) {
                break;
            }
            readFully(pos, header, DataFormat.BLOCK_HEADER);
            int kind = header[0] & 0xFF;
            long length = u32(header, 1);
            if (size - pos - DataFormat.BLOCK_HEADER < length) {
                break; // the rest of the block is still in the writer's chunk
            }
            String where = String.format(Locale.ROOT, "%s: block (%s) at byte %,d", path, DataFormat.kindName(kind), pos);
            if (kind > DataFormat.PARAMETERS || length > Integer.MAX_VALUE - 16) {
                throw new BadDataException(where + ": not a block (kind " + kind + ", length " + length + ")");
            }
            int len = (int) length;
            if (payload.length < len) {
                payload = new byte[Math.max(len, payload.length * 2)];
            }
            readFully(pos + DataFormat.BLOCK_HEADER, payload, len);
            crc.reset();
            crc.update(payload, 0, len);
            if (crc.getValue() != u32(header, 5)) {
                throw new BadDataException(where + ": checksum mismatch");
            }
            pos += DataFormat.BLOCK_HEADER + len;
            read = true;
            blocks++;
            block(kind, len, where);
        }
        return read;
    }

    private void block(int kind, int len, String where) throws IOException {
        Payload p = new Payload(payload, 0, len, where);
        switch (kind) {
            case DataFormat.END:
                ended = true;
                listener.end(jvm, true);
                return;
            case DataFormat.META:
                jvm.readMeta(p);
                listener.stream(jvm);
                return;
            case DataFormat.FUNCTIONS:
                jvm.readFunctions(p);
                return;
            case DataFormat.PARAMETERS: // names of the arguments (funcgraph-args)
                jvm.readParameters(p);
                return;
            case DataFormat.THREADS:
                jvm.readThreads(p);
                return;
            case DataFormat.EVENTS: {
                events.read(payload, len, true, where);
                EventDecoder d = new EventDecoder(events.raw, events.length, where);
                d.thread(jvm.threads);
                while (d.hasNext()) {
                    d.next(r, true);
                    jvm.maxTs = Math.max(jvm.maxTs, r.ts);
                    listener.record(jvm, r);
                }
                return;
            }
            default: // STATS: the totals a summary prints; not needed to follow calls
        }
    }

    /** The reading stops here: a stream still open ends cut short. */
    @Override
    public void close() throws IOException {
        try {
            if (jvm != null && !ended) {
                ended = true;
                listener.end(jvm, false);
            }
        } finally {
            events.close();
            if (ch != null) {
                ch.close();
            }
        }
    }

    private void readFully(long at, byte[] dst, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(dst, 0, len);
        long p = at;
        while (b.hasRemaining()) {
            int n = ch.read(b, p);
            if (n < 0) {
                throw new IOException(path + " shrank while it was read");
            }
            p += n;
        }
    }

    private static long u32(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
    }

    /** The last timestamp read, for calls still open when the stream ends. */
    public static long lastTs(Jvm jvm) {
        return jvm.maxTs;
    }
}
