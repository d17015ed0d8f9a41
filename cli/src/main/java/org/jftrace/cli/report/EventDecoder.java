package org.jftrace.cli.report;

import java.util.Map;

/**
 * Walks the raw events of one EVENTS block ({@code vint buffer | vint thread | i64 firstTs | vint count |
 * record*}) one record at a time, straight from the bytes, so a block costs its raw size and no more.
 */
final class EventDecoder {

    private final Payload p;
    final int buffer;
    final int threadKey;
    final long firstTs;
    final int count;
    private int read;
    private long last;
    private ThreadInfo thread;

    /** Reads the events header; {@code where} names the block in error messages. */
    EventDecoder(byte[] raw, int length, String where) throws BadDataException {
        p = new Payload(raw, 0, length, where);
        buffer = p.vint();
        threadKey = p.vint();
        firstTs = p.i64();
        count = p.vint();
        last = firstTs;
    }

    /** Finds the block's thread among the stream's declared ones. */
    void thread(Map<Integer, ThreadInfo> threads) throws BadDataException {
        thread = threads.get(threadKey);
        if (thread == null) {
            throw p.bad("thread key " + threadKey + " was not declared by a THREADS block before it");
        }
    }

    boolean hasNext() {
        return read < count;
    }

    /** Bytes left after the last record: a well-formed block has none. */
    int trailing() {
        return p.remaining();
    }

    /** The ARGS record after a CALL, ENTRY or RETURN, if there is one: its values. */
    private ArgValue[] values(boolean strings) throws BadDataException {
        if (read >= count || p.peek() != DataFormat.ARGS) {
            return null;
        }
        p.u8();
        read++;
        last += p.zlong();
        int n = p.vint();
        if (n > p.remaining()) {
            throw p.bad("record " + read + " (ARGS) of " + n + " values runs past the block's end");
        }
        ArgValue[] v = new ArgValue[n];
        for (int i = 0; i < n; i++) {
            int kind = p.u8();
            switch (kind) {
                case ArgValue.NULL:
                case ArgValue.MORE:
                    v[i] = new ArgValue(kind, 0, null, 0);
                    break;
                case ArgValue.BOOL:
                    v[i] = new ArgValue(kind, p.u8(), null, 0);
                    break;
                case ArgValue.CHAR:
                case ArgValue.FLOAT:
                    v[i] = new ArgValue(kind, p.vlong(), null, 0);
                    break;
                case ArgValue.INT:
                    v[i] = new ArgValue(kind, p.zlong(), null, 0);
                    break;
                case ArgValue.DOUBLE:
                    v[i] = new ArgValue(kind, p.i64(), null, 0);
                    break;
                case ArgValue.OBJECT: {
                    String c = p.str(true);
                    v[i] = new ArgValue(kind, p.vlong(), c, 0);
                    break;
                }
                case ArgValue.STRING: {
                    long length = p.vlong();
                    v[i] = new ArgValue(kind, 0, p.str(true), length);
                    break;
                }
                case ArgValue.THROWN:
                    v[i] = new ArgValue(kind, 0, p.str(true), 0);
                    break;
                default:
                    throw p.bad("record " + read + " (ARGS): unknown value kind " + kind);
            }
        }
        return strings ? v : null;
    }

    /**
     * Decodes the next record into {@code r}. Without {@code strings} the texts and frames are
     * skipped (the index pass only checks them).
     */
    void next(Record r, boolean strings) throws BadDataException {
        int type = p.u8();
        read++;
        long ts = last + p.zlong();
        last = ts;
        r.type = type;
        r.ts = ts;
        r.buffer = buffer;
        r.thread = thread;
        r.args = null;
        r.ret = null;
        switch (type) {
            case DataFormat.ENTRY:
                r.ip = p.vint();
                r.arg = p.vint();
                r.args = values(strings);
                break;
            case DataFormat.RETURN:
                r.ip = p.vint();
                r.arg = p.vint();
                r.duration = p.vlong();
                r.exceptional = (p.u8() & 1) != 0;
                r.retval = p.zlong();
                ArgValue[] ret = values(strings);
                r.ret = ret != null && ret.length > 0 ? ret[0] : null;
                break;
            case DataFormat.CALL:
                r.ip = p.vint();
                r.arg = p.vint();
                r.args = values(strings);
                break;
            case DataFormat.MARKER:
                r.text = p.str(strings);
                break;
            case DataFormat.STACK: {
                int n = p.vint();
                if (n > p.remaining()) {
                    throw p.bad("record " + read + " (STACK) of " + n + " frames runs past the block's end");
                }
                String[] frames = strings ? new String[n] : null;
                for (int i = 0; i < n; i++) {
                    String f = p.str(strings);
                    if (strings) {
                        frames[i] = f;
                    }
                }
                r.frames = frames;
                break;
            }
            case DataFormat.LOST:
                r.count = p.vlong();
                break;
            case DataFormat.ARGS:
                throw p.bad("record " + read + " (ARGS) does not follow a CALL, ENTRY or RETURN");
            default:
                throw p.bad("unknown record type " + type + " (record " + read + " of " + count + ")");
        }
    }
}
