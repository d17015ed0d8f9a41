package org.jftrace.cli.report;

import java.nio.charset.StandardCharsets;

/** Reads the encodings of docs/data-format.md from a block's bytes; {@code where} names the block in errors. */
final class Payload {

    private final byte[] b;
    int pos;
    private final int end;
    final String where;

    Payload(byte[] b, int pos, int end, String where) {
        this.b = b;
        this.pos = pos;
        this.end = end;
        this.where = where;
    }

    BadDataException bad(String what) {
        return new BadDataException(where + ": " + what);
    }

    int remaining() {
        return end - pos;
    }

    int u8() throws BadDataException {
        if (pos >= end) {
            throw bad("its content runs past the block's end");
        }
        return b[pos++] & 0xFF;
    }

    /** @return the next byte without reading it, or -1 at the end */
    int peek() {
        return pos < end ? b[pos] & 0xFF : -1;
    }

    long i64() throws BadDataException {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | u8();
        }
        return v;
    }

    long vlong() throws BadDataException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int x = u8();
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw bad("a varint longer than 10 bytes at payload byte " + pos);
    }

    int vint() throws BadDataException {
        long v = vlong();
        if (v > Integer.MAX_VALUE) {
            throw bad("the number " + v + " does not fit an int at payload byte " + pos);
        }
        return (int) v;
    }

    long zlong() throws BadDataException {
        long v = vlong();
        return (v >>> 1) ^ -(v & 1);
    }

    String str() throws BadDataException {
        return str(true);
    }

    /** A string, or (without {@code make}) just its bytes skipped. */
    String str(boolean make) throws BadDataException {
        long n = vlong();
        if (n > end - pos) {
            throw bad("a string of " + n + " bytes runs past the block's end");
        }
        String s = make ? new String(b, pos, (int) n, StandardCharsets.UTF_8) : null;
        pos += (int) n;
        return s;
    }
}
