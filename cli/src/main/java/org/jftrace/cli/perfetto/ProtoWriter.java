package org.jftrace.cli.perfetto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One protobuf message being written, by hand: varint and length-delimited fields. A nested message
 * is written into a writer of its own (reused), then copied in behind its length.
 */
final class ProtoWriter {

    private static final int VARINT = 0;
    private static final int I64 = 1;
    private static final int LENGTH_DELIMITED = 2;

    private byte[] b = new byte[256];
    private int size;

    int size() {
        return size;
    }

    ProtoWriter reset() {
        size = 0;
        return this;
    }

    private void room(int n) {
        if (size + n > b.length) {
            b = Arrays.copyOf(b, Math.max(b.length * 2, size + n));
        }
    }

    private void raw(long v) {
        room(10);
        while ((v & ~0x7FL) != 0) {
            b[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[size++] = (byte) v;
    }

    private void tag(int field, int wireType) {
        raw(((long) field << 3) | wireType);
    }

    /** An integer field (uint32/uint64/int32/int64/enum; negative values take ten bytes, as protobuf's do). */
    ProtoWriter varint(int field, long v) {
        tag(field, VARINT);
        raw(v);
        return this;
    }

    ProtoWriter bool(int field, boolean v) {
        return varint(field, v ? 1 : 0);
    }

    /** A double field: eight bytes, little-endian. */
    ProtoWriter real(int field, double v) {
        tag(field, I64);
        room(8);
        long bits = Double.doubleToRawLongBits(v);
        for (int i = 0; i < 8; i++) {
            b[size++] = (byte) (bits >>> (8 * i));
        }
        return this;
    }

    ProtoWriter string(int field, String s) {
        byte[] v = s.getBytes(StandardCharsets.UTF_8);
        return bytes(field, v, 0, v.length);
    }

    ProtoWriter bytes(int field, byte[] v, int off, int len) {
        tag(field, LENGTH_DELIMITED);
        raw(len);
        room(len);
        System.arraycopy(v, off, b, size, len);
        size += len;
        return this;
    }

    /** {@code inner} as a field of this message. */
    ProtoWriter message(int field, ProtoWriter inner) {
        return bytes(field, inner.b, 0, inner.size);
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(b, 0, size);
    }
}
