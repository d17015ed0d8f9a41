package org.jftrace.cli.report;

import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** Turns an EVENTS block's payload into its raw events: copied (codec 0) or inflated (codec 1). */
final class EventsReader implements AutoCloseable {

    private final Inflater inflater = new Inflater(true);
    /** The raw events of the last block read, {@link #length} bytes of it. */
    byte[] raw;
    int length;

    /**
     * @param reuse whether {@link #raw} may be overwritten (the index pass) or each block needs its
     *              own array (the merge keeps several)
     */
    void read(byte[] payload, int payloadLength, boolean reuse, String where) throws IOException {
        Payload p = new Payload(payload, 0, payloadLength, where);
        int codec = p.u8();
        int rawLength = p.vint();
        int at = p.pos;
        if (!reuse || raw == null || raw.length < rawLength) {
            raw = new byte[reuse ? Math.max(rawLength, 1 << 16) : rawLength];
        }
        length = rawLength;
        if (codec == 0) {
            if (payloadLength - at != rawLength) {
                throw p.bad("codec 0 with " + (payloadLength - at) + " bytes of events where rawLength says " + rawLength);
            }
            System.arraycopy(payload, at, raw, 0, rawLength);
            return;
        }
        if (codec != 1) {
            throw p.bad("unknown codec " + codec);
        }
        inflater.reset();
        inflater.setInput(payload, at, payloadLength - at);
        int n = 0;
        try {
            while (n < rawLength) {
                int k = inflater.inflate(raw, n, rawLength - n);
                if (k == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += k;
            }
            if (n == rawLength && !inflater.finished() && inflater.inflate(new byte[1]) > 0) {
                n++;
            }
        } catch (DataFormatException e) {
            throw p.bad("the deflated events do not inflate (" + e.getMessage() + ")");
        }
        if (n != rawLength) {
            throw p.bad("the events inflate to " + (n > rawLength ? "more than " + rawLength : Integer.toString(n))
                    + " bytes where rawLength says " + rawLength);
        }
    }

    @Override
    public void close() {
        inflater.end();
    }
}
