package org.jftrace.ring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins ARGS records to their owners (see {@link RecordDescriptor}): a reader's list of records in
 * which each buffer's records keep their write order becomes the same list without ARGS records, each
 * owner carrying its value words ({@link TraceRecord#argWords()}). An ARGS record whose owner is not
 * just before it in its buffer (overwritten, or reset away) is dropped; so is an incomplete group.
 */
public final class ArgGroups {

    private ArgGroups() {
    }

    /** @return {@code records} without ARGS records, their words joined to their owners */
    public static List<TraceRecord> join(final List<TraceRecord> records) {
        boolean any = false;
        for (TraceRecord r : records) {
            if (r.type() == RecordDescriptor.TYPE_ARGS) {
                any = true;
                break;
            }
        }
        if (!any) {
            return records;
        }
        final List<TraceRecord> out = new ArrayList<>(records.size());
        final Map<Integer, Joiner> open = new HashMap<>();
        for (TraceRecord r : records) {
            if (r.type() != RecordDescriptor.TYPE_ARGS) {
                out.add(r);
                if (r.hasArgs()) {
                    open.put(r.bufferId(), new Joiner(r));
                } else {
                    open.remove(r.bufferId());
                }
                continue;
            }
            final Joiner j = open.get(r.bufferId());
            if (j != null && !j.add(r)) {
                open.remove(r.bufferId());
            }
        }
        return out;
    }

    /**
     * Collects one group's words; reusable by a streaming reader (the drain) that sees one record at a
     * time.
     */
    public static final class Joiner {
        private TraceRecord owner;
        private long ownerPosition;
        private int ownerIp;
        private long[] words = new long[2 * RecordDescriptor.MAX_ARGS_SLOTS];
        private int next;

        public Joiner() {
        }

        Joiner(final TraceRecord owner) {
            start(owner);
            this.owner = owner;
        }

        /** Starts a group at an owner record (one with {@link TraceRecord#hasArgs()}). */
        public void start(final TraceRecord r) {
            ownerPosition = r.position();
            ownerIp = r.ip();
            next = 0;
        }

        /**
         * Adds the next ARGS record.
         *
         * @return whether the group goes on (false when complete or broken)
         */
        public boolean add(final TraceRecord r) {
            final int i = r.argsIndex();
            final int k = r.argsSlots();
            if (i != next || r.position() != ownerPosition + 1 + i || r.ip() != ownerIp
                || k > RecordDescriptor.MAX_ARGS_SLOTS) {
                next = -1;
                return false;
            }
            words[2 * i] = r.argsWord(0);
            words[2 * i + 1] = r.argsWord(1);
            next = i + 1;
            if (next < k) {
                return true;
            }
            if (owner != null) {
                owner.setArgWords(java.util.Arrays.copyOf(words, 2 * k));
            }
            return false;
        }

        /** @return whether the last {@link #add} completed the group */
        public boolean complete(final TraceRecord last) {
            return next > 0 && next == last.argsSlots();
        }

        /** @return the group's words (valid after {@link #complete}); reused by the next group */
        public long[] words() {
            return words;
        }
    }
}
