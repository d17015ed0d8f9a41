package org.jftrace.cli.report;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads bytes at any offset of the file; sequential small reads go through one 64 KB window. */
final class FileBytes implements Closeable {

    private final FileChannel ch;
    final long size;
    private final ByteBuffer window = ByteBuffer.allocate(1 << 16);
    private long windowStart = -1;

    FileBytes(Path file) throws IOException {
        ch = FileChannel.open(file, StandardOpenOption.READ);
        size = ch.size();
    }

    /** Reads {@code len} bytes at {@code pos} into {@code dst}; the caller has checked they are in the file. */
    void read(long pos, byte[] dst, int off, int len) throws IOException {
        if (len > window.capacity() / 2) {
            ByteBuffer b = ByteBuffer.wrap(dst, off, len);
            long p = pos;
            while (b.hasRemaining()) {
                int n = ch.read(b, p);
                if (n < 0) {
                    throw new EOFException("the file shrank while it was read");
                }
                p += n;
            }
            return;
        }
        if (windowStart < 0 || pos < windowStart || pos + len > windowStart + window.limit()) {
            window.clear();
            windowStart = pos;
            while (window.position() < len) {
                if (ch.read(window, pos + window.position()) < 0) {
                    throw new EOFException("the file shrank while it was read");
                }
            }
            window.flip();
        }
        System.arraycopy(window.array(), (int) (pos - windowStart), dst, off, len);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
