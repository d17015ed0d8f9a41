package org.jftrace.filter;

import java.nio.charset.StandardCharsets;

/**
 * A function name read in place from a table of packed Latin-1 bytes: one reusable view per scan, so
 * that matching a filter against every function reads one contiguous array instead of one String
 * object per function scattered over the heap (see {@link FunctionTable#name(int, Latin1Name)}).
 * Not thread-safe; valid until its next {@link #set}.
 */
public final class Latin1Name implements CharSequence {

    private byte[] buf;
    private int off;
    private int len;

    /** Points this view at {@code len} bytes of {@code buf} from {@code off}. @return this */
    public Latin1Name set(byte[] buf, int off, int len) {
        this.buf = buf;
        this.off = off;
        this.len = len;
        return this;
    }

    @Override
    public int length() {
        return len;
    }

    @Override
    public char charAt(int index) {
        return (char) (buf[off + index] & 0xff);
    }

    /** @return the first index of {@code c}, or -1 */
    public int indexOf(char c) {
        if (c > 0xff) {
            return -1;
        }
        byte b = (byte) c;
        byte[] a = buf;
        for (int i = off, end = off + len; i < end; i++) {
            if (a[i] == b) {
                return i - off;
            }
        }
        return -1;
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().substring(start, end);
    }

    @Override
    public String toString() {
        return new String(buf, off, len, StandardCharsets.ISO_8859_1);
    }
}
