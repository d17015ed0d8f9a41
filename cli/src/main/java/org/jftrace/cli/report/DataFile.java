package org.jftrace.cli.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * A trace data file, version 2, indexed: the first pass reads every block once, checks its checksum
 * and its records, and keeps per stream the names, the counts and where each EVENTS block is. The
 * records themselves are read again, block by block, by {@link Merge}.
 */
public final class DataFile {

    public final Path path;
    public final List<Jvm> jvms;
    /** Where the readable data of a truncated file ends, or -1. */
    public final long truncatedAt;
    /** Why it is truncated: "no end mark" or the block cut short. */
    public final String truncation;
    /** One line each: a stream that ends without END but is followed by another. */
    public final List<String> notes;

    private DataFile(Path path, List<Jvm> jvms, long truncatedAt, String truncation, List<String> notes) {
        this.path = path;
        this.jvms = Collections.unmodifiableList(jvms);
        this.truncatedAt = truncatedAt;
        this.truncation = truncation;
        this.notes = notes;
    }

    /** What a file starts with. */
    public enum Kind { DATA, FTRACE_TEXT, OTHER }

    public static Kind kind(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(DataFormat.MAGIC.length);
            if (Arrays.equals(b, DataFormat.MAGIC)) {
                return Kind.DATA;
            }
            return new String(b, StandardCharsets.ISO_8859_1).startsWith("# tracer") ? Kind.FTRACE_TEXT : Kind.OTHER;
        }
    }

    /** Records in the file, LOST records not counted. */
    public long records() {
        long n = 0;
        for (Jvm j : jvms) {
            n += j.records;
        }
        return n;
    }

    /** Records the traced JVMs wrote, in all streams. */
    public long written() {
        long n = 0;
        for (Jvm j : jvms) {
            n += j.written();
        }
        return n;
    }

    /** Records lost, in all streams. */
    public long lost() {
        long n = 0;
        for (Jvm j : jvms) {
            n += j.lost();
        }
        return n;
    }

    /** The one-line warning for a truncated file, or null. */
    public String truncationWarning() {
        if (truncatedAt < 0) {
            return null;
        }
        return String.format(Locale.ROOT, "%s is truncated at byte %,d (%s): the traced JVM stopped before it finished"
                + " writing; showing the %,d records before that", path, truncatedAt, truncation, records());
    }

    public boolean hasGraph() {
        for (Jvm j : jvms) {
            if (j.hasGraph) {
                return true;
            }
        }
        return false;
    }

    /** Reads the file's index; {@code progress} hears of the bytes read. */
    public static DataFile read(Path file, Progress progress) throws IOException {
        try (FileBytes in = new FileBytes(file)) {
            return new Indexer(file, in, progress).run();
        }
    }

    /** The first pass. */
    private static final class Indexer {
        final Path path;
        final FileBytes in;
        final Progress progress;
        final List<Jvm> jvms = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final byte[] header = new byte[DataFormat.STREAM_HEADER];
        final CRC32 crc = new CRC32();
        final EventsReader events = new EventsReader();
        final Record r = new Record();
        byte[] payload = new byte[1 << 16];
        long pos;
        int blockNo;
        long truncatedAt = -1;
        String truncation;

        Indexer(Path path, FileBytes in, Progress progress) {
            this.path = path;
            this.in = in;
            this.progress = progress;
        }

        DataFile run() throws IOException {
            try {
                while (pos < in.size || jvms.isEmpty()) {
                    if (!stream()) {
                        break;
                    }
                }
            } finally {
                events.close();
            }
            return new DataFile(path, jvms, truncatedAt, truncation, notes);
        }

        private void truncated(long at, String why) {
            truncatedAt = at;
            truncation = why;
            if (!jvms.isEmpty()) {
                jvms.get(jvms.size() - 1).truncated = true;
            }
        }

        /** Reads one stream; @return whether another may follow. */
        private boolean stream() throws IOException {
            long start = pos;
            int have = (int) Math.min(DataFormat.STREAM_HEADER, in.size - pos);
            in.read(pos, header, 0, have);
            int magic = Math.min(have, DataFormat.MAGIC.length);
            if (!Arrays.equals(header, 0, magic, DataFormat.MAGIC, 0, magic) || have == 0) {
                if (jvms.isEmpty()) {
                    throw new BadDataException(have == 0 ? "an empty file, not jftrace trace data"
                            : "not jftrace trace data (byte 0 is not the JFTRDATA magic)");
                }
                throw new BadDataException(String.format(Locale.ROOT, "byte %,d: garbage after stream %d where a"
                        + " stream's JFTRDATA magic or the end of the file should be", pos, jvms.size()));
            }
            if (have < DataFormat.STREAM_HEADER) {
                truncated(pos, "stream " + (jvms.size() + 1) + "'s header is cut short");
                return false;
            }
            int version = ((header[8] & 0xFF) << 8) | (header[9] & 0xFF);
            if (version != DataFormat.VERSION) {
                throw new BadDataException("trace data version " + version + " (this jftrace reads version "
                        + DataFormat.VERSION + ")" + (version == 1 ? ": record it again" : "")
                        + (start > 0 ? String.format(Locale.ROOT, " in stream %d at byte %,d", jvms.size() + 1, start) : ""));
            }
            pos += DataFormat.STREAM_HEADER;
            Jvm j = new Jvm();
            jvms.add(j);
            int inStream = 0;
            while (true) {
                long blockStart = pos;
                if (in.size - pos < DataFormat.BLOCK_HEADER) {
                    truncated(blockStart, pos == in.size ? "no end mark" : "block " + (blockNo + 1) + " is cut short");
                    return false;
                }
                in.read(pos, header, 0, DataFormat.BLOCK_HEADER);
                if (inStream > 0 && in.size - pos >= DataFormat.MAGIC.length) {
                    byte[] m = new byte[DataFormat.MAGIC.length];
                    in.read(pos, m, 0, m.length);
                    if (Arrays.equals(m, DataFormat.MAGIC)) { // the JVM was killed and the next one appended
                        j.truncated = true;
                        notes.add(String.format(Locale.ROOT, "stream %d (pid %d) has no end mark: it stops at byte %,d,"
                                + " where stream %d begins", jvms.size(), j.pid, pos, jvms.size() + 1));
                        return true;
                    }
                }
                blockNo++;
                int kind = header[0] & 0xFF;
                long length = u32(header, 1);
                long stored = u32(header, 5);
                String where = String.format(Locale.ROOT, "block %d (%s) at byte %,d", blockNo, DataFormat.kindName(kind),
                        blockStart);
                if (kind > DataFormat.PARAMETERS) {
                    throw new BadDataException(where + ": unknown block kind " + kind);
                }
                if (length > in.size - pos - DataFormat.BLOCK_HEADER) {
                    truncated(blockStart, "block " + blockNo + " is cut short");
                    return false;
                }
                if (length > Integer.MAX_VALUE - 16) {
                    throw new BadDataException(where + ": a length of " + length + " bytes");
                }
                int len = (int) length;
                if (payload.length < len) {
                    payload = new byte[Math.max(len, payload.length * 2)];
                }
                in.read(pos + DataFormat.BLOCK_HEADER, payload, 0, len);
                crc.reset();
                crc.update(payload, 0, len);
                if (crc.getValue() != stored) {
                    throw new BadDataException(String.format(Locale.ROOT, "%s: checksum mismatch (stored %08x, computed"
                            + " %08x)", where, stored, crc.getValue()));
                }
                if (inStream == 0 && kind != DataFormat.META) {
                    throw new BadDataException(where + ": a stream's first block must be META");
                }
                if (inStream > 0 && kind == DataFormat.META) {
                    throw new BadDataException(where + ": a second META in stream " + jvms.size());
                }
                inStream++;
                pos += DataFormat.BLOCK_HEADER + len;
                if (progress != null) {
                    progress.at(pos);
                }
                Payload p = new Payload(payload, 0, len, where);
                switch (kind) {
                    case DataFormat.END:
                        return true;
                    case DataFormat.META:
                        j.readMeta(p);
                        break;
                    case DataFormat.FUNCTIONS:
                        j.readFunctions(p);
                        break;
                    case DataFormat.THREADS:
                        j.readThreads(p);
                        break;
                    case DataFormat.EVENTS:
                        events(j, blockStart, len, where);
                        break;
                    case DataFormat.PARAMETERS:
                        j.readParameters(p);
                        break;
                    case DataFormat.STATS: {
                        j.hasStats = true;
                        j.statsWritten = p.vlong();
                        j.statsLost = p.vlong();
                        int n = p.vint();
                        for (int i = 0; i < n; i++) {
                            p.vint();
                            p.vint();
                            p.vlong();
                            p.vlong();
                        }
                        j.statsBuffers = n;
                        break;
                    }
                    default:
                        throw new IllegalStateException();
                }
                if (kind != DataFormat.EVENTS && p.remaining() != 0) {
                    throw new BadDataException(where + ": " + p.remaining() + " bytes after its content");
                }
            }
        }

        private void events(Jvm j, long blockStart, int len, String where) throws IOException {
            events.read(payload, len, true, where);
            EventDecoder d = new EventDecoder(events.raw, events.length, where);
            d.thread(j.threads);
            long first = Long.MIN_VALUE;
            while (d.hasNext()) {
                d.next(r, false);
                if (first == Long.MIN_VALUE) {
                    first = r.ts;
                }
                if (r.type == DataFormat.LOST) {
                    j.lostInFile += r.count;
                } else {
                    j.records++;
                }
                j.minTs = Math.min(j.minTs, r.type == DataFormat.RETURN ? r.callTime() : r.ts);
                j.maxTs = Math.max(j.maxTs, r.ts);
                j.hasGraph |= r.isGraph();
            }
            if (d.trailing() != 0) {
                throw new BadDataException(where + ": " + d.trailing() + " bytes after its " + d.count + " records");
            }
            if (first != Long.MIN_VALUE) {
                j.addBlock(blockStart, len, d.buffer, first);
            }
        }

        private static long u32(byte[] b, int at) {
            return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
        }
    }
}
