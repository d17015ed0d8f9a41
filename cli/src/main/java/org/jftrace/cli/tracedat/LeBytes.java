package org.jftrace.cli.tracedat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array written in little endian, as the trace.dat this writes declares. */
final class LeBytes {

    private byte[] b;
    private int size;

    LeBytes(int capacity) {
        b = new byte[capacity];
    }

    int size() {
        return size;
    }

    byte[] array() {
        return b;
    }

    void reset() {
        size = 0;
    }

    private void room(int n) {
        if (size + n > b.length) {
            b = Arrays.copyOf(b, Math.max(b.length * 2, size + n));
        }
    }

    LeBytes u8(int v) {
        room(1);
        b[size++] = (byte) v;
        return this;
    }

    LeBytes u16(int v) {
        room(2);
        b[size++] = (byte) v;
        b[size++] = (byte) (v >>> 8);
        return this;
    }

    LeBytes u32(long v) {
        room(4);
        for (int i = 0; i < 4; i++) {
            b[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    LeBytes u64(long v) {
        room(8);
        for (int i = 0; i < 8; i++) {
            b[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    LeBytes bytes(byte[] v, int off, int len) {
        room(len);
        System.arraycopy(v, off, b, size, len);
        size += len;
        return this;
    }

    /** The text's bytes, without a terminator. */
    LeBytes ascii(String s) {
        byte[] v = s.getBytes(StandardCharsets.UTF_8);
        return bytes(v, 0, v.length);
    }

    /** The text and its NUL. */
    LeBytes cstring(String s) {
        return ascii(s).u8(0);
    }

    /** A section of trace.dat: its size (u32 or u64) and its text. */
    LeBytes sized(String text, boolean u64) {
        byte[] v = text.getBytes(StandardCharsets.UTF_8);
        if (u64) {
            u64(v.length);
        } else {
            u32(v.length);
        }
        return bytes(v, 0, v.length);
    }
}
