package org.jftrace.cli.report;

import java.io.IOException;
import java.util.List;

/**
 * One buffer's records in write order, across its EVENTS blocks. A block is read when the merge
 * reaches its first record (or a consumer looks one record ahead into it) and dropped when its last
 * record has been taken, so a buffer costs at most the raw bytes of one block.
 */
public final class BufferCursor {

    private final FileBytes in;
    private final Jvm jvm;
    private final EventsReader events;
    final int buffer;
    private final List<Integer> blocks;
    private int nextBlock;
    private EventDecoder decoder;
    /** The record the merge takes next; {@code key} is its timestamp, known before its block is read. */
    Record head = new Record();
    private Record ahead = new Record();
    private boolean hasAhead;
    boolean loaded;
    long key;

    BufferCursor(FileBytes in, Jvm jvm, EventsReader events, int buffer, List<Integer> blocks) {
        this.in = in;
        this.jvm = jvm;
        this.events = events;
        this.buffer = buffer;
        this.blocks = blocks;
        this.key = jvm.blockFirstTs[blocks.get(0)];
    }

    /** Reads the next block and decodes its first record into {@code into}. */
    private void readBlock(Record into) throws IOException {
        int b = blocks.get(nextBlock++);
        int len = jvm.blockLength[b];
        byte[] payload = new byte[len];
        in.read(jvm.blockOffset[b] + DataFormat.BLOCK_HEADER, payload, 0, len);
        String where = "EVENTS block at byte " + jvm.blockOffset[b];
        events.read(payload, len, false, where);
        decoder = new EventDecoder(events.raw, events.length, where);
        decoder.thread(jvm.threads);
        decoder.next(into, true);
    }

    /** Makes {@link #head} the record at {@link #key}. */
    void load() throws IOException {
        if (!loaded) {
            readBlock(head);
            loaded = true;
        }
    }

    /** Moves past {@link #head}; @return false when the buffer has no more records. */
    boolean advance() throws IOException {
        if (hasAhead) {
            Record t = head;
            head = ahead;
            ahead = t;
            hasAhead = false;
        } else if (decoder.hasNext()) {
            decoder.next(head, true);
        } else if (nextBlock < blocks.size()) {
            decoder = null; // the block is done: free it before the next is read
            loaded = false;
            key = jvm.blockFirstTs[blocks.get(nextBlock)];
            return true;
        } else {
            decoder = null;
            return false;
        }
        key = head.ts;
        return true;
    }

    /** The record after {@link #head} in this buffer, or null; it stays the next one until {@link #skipAhead}. */
    public Record peek() throws IOException {
        if (!hasAhead) {
            if (decoder.hasNext()) {
                decoder.next(ahead, true);
            } else if (nextBlock < blocks.size()) {
                readBlock(ahead);
            } else {
                return null;
            }
            hasAhead = true;
        }
        return ahead;
    }

    /** Drops the record {@link #peek} returned: the consumer has shown it with the head. */
    public void skipAhead() {
        hasAhead = false;
    }
}
