package org.jftrace.cli.perfetto;

import static org.jftrace.cli.perfetto.Fields.*;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import org.jftrace.cli.report.ArgText;
import org.jftrace.cli.report.ArgValue;

/**
 * The TracePackets of one sequence (one traced JVM): its clock, its interned names and the track
 * events. Timestamps are deltas on a sequence-scoped incremental clock (a varint of a few bytes
 * instead of an absolute eight); a time earlier than the previous packet's (a call whose entry is not
 * in the data begins before what was written) is absolute, on the trace clock, which the clock
 * snapshot makes the same as jftrace's. Names are interned the first time they are used: an
 * event then carries a small id instead of its text. A call's arguments are one annotation, a dict
 * with an entry per parameter named as the class file names it: numbers and booleans typed, other
 * values their text as the trace prints it, inline (cut at func_args_strlen, often unique: an
 * object's identity hash, a counter), where interning would hold every distinct value in memory for
 * the whole trace to save a few bytes on the ones that repeat.
 */
final class Packets {

    /** The annotations' names, interned as ids 1.. in this order. */
    static final String[] ANNOTATIONS = {"function", "parent", "threw", "unfinished", "buffer", "lost", "frames"};
    static final int FUNCTION = 1;
    static final int PARENT = 2;
    static final int THREW = 3;
    static final int UNFINISHED = 4;
    static final int BUFFER = 5;
    static final int LOST = 6;
    static final int FRAMES = 7;

    private final OutputStream out;
    private final int sequence;
    private final ProtoWriter packet = new ProtoWriter();
    private final ProtoWriter event = new ProtoWriter();
    private final ProtoWriter interned = new ProtoWriter();
    private final ProtoWriter entry = new ProtoWriter();
    private final ProtoWriter annotation = new ProtoWriter();
    private final ProtoWriter inner = new ProtoWriter();
    private final ProtoWriter trace = new ProtoWriter();
    private final Map<String, Long> names = new HashMap<>();
    private final Map<String, Long> strings = new HashMap<>();
    /** Annotation names past {@link #ANNOTATIONS} (arguments, return, parameters' names), interned when first used. */
    private final Map<String, Long> moreNames = new HashMap<>();
    private final ProtoWriter dict = new ProtoWriter();
    private final ProtoWriter item = new ProtoWriter();
    private boolean annotationNames;
    private long last;
    long bytes;

    Packets(OutputStream out, int sequence) {
        this.out = out;
        this.sequence = sequence;
    }

    /** The sequence's first packet: incremental state cleared, the clocks at {@code t0}, the default clock. */
    void start(long t0) throws IOException {
        ProtoWriter clocks = new ProtoWriter();
        clocks.message(SNAPSHOT_CLOCKS, inner.reset().varint(CLOCK_ID, SEQUENCE_CLOCK).varint(CLOCK_TIMESTAMP, t0)
                .bool(CLOCK_IS_INCREMENTAL, true));
        clocks.message(SNAPSHOT_CLOCKS, inner.reset().varint(CLOCK_ID, BUILTIN_CLOCK_BOOTTIME).varint(CLOCK_TIMESTAMP, t0));
        packet.reset().varint(PACKET_TIMESTAMP, t0).varint(PACKET_TIMESTAMP_CLOCK_ID, BUILTIN_CLOCK_BOOTTIME)
                .varint(PACKET_SEQUENCE_ID, sequence).varint(PACKET_SEQUENCE_FLAGS, SEQ_INCREMENTAL_STATE_CLEARED)
                .message(PACKET_CLOCK_SNAPSHOT, clocks)
                .message(PACKET_DEFAULTS, inner.reset().varint(DEFAULTS_TIMESTAMP_CLOCK_ID, SEQUENCE_CLOCK));
        last = t0;
        emit();
    }

    /** A track: a process's (thread null) or a thread's under its process. */
    void track(long uuid, long parent, long pid, long tid, String name, boolean thread) throws IOException {
        ProtoWriter d = new ProtoWriter().varint(TRACK_UUID, uuid);
        if (thread) {
            d.varint(TRACK_PARENT_UUID, parent).message(TRACK_THREAD, inner.reset().varint(THREAD_PID, (int) pid)
                    .varint(THREAD_TID, tid).string(THREAD_NAME, name));
        } else {
            d.message(TRACK_PROCESS, inner.reset().varint(PROCESS_PID, (int) pid).string(PROCESS_NAME, name));
        }
        packet.reset().varint(PACKET_SEQUENCE_ID, sequence).message(PACKET_TRACK_DESCRIPTOR, d);
        emit();
    }

    /** Starts a track event: its type and track; the name and annotations follow, then {@link #event}. */
    Packets begin(int type, long track) {
        event.reset().varint(EVENT_TYPE, type).varint(EVENT_TRACK_UUID, track);
        interned.reset();
        return this;
    }

    /** The event's name, interned. */
    Packets name(String name) {
        Long iid = names.get(name);
        if (iid == null) {
            iid = (long) names.size() + 1;
            names.put(name, iid);
            interned.message(INTERNED_EVENT_NAMES, entry.reset().varint(ENTRY_IID, iid).string(ENTRY_NAME, name));
        }
        event.varint(EVENT_NAME_IID, iid);
        return this;
    }

    /** A name used once (a marker's text): not interned. */
    Packets literalName(String name) {
        event.string(EVENT_NAME, name);
        return this;
    }

    private void annotationName(int id) {
        if (!annotationNames) { // all of them with the first annotation: seven short strings, once
            annotationNames = true;
            for (int i = 0; i < ANNOTATIONS.length; i++) {
                interned.message(INTERNED_ANNOTATION_NAMES, entry.reset().varint(ENTRY_IID, i + 1)
                        .string(ENTRY_NAME, ANNOTATIONS[i]));
            }
        }
        annotation.reset().varint(ANNOTATION_NAME_IID, id);
    }

    /** The id of an annotation name past {@link #ANNOTATIONS}, interned in this packet if new. */
    private long nameId(String name) {
        Long iid = moreNames.get(name);
        if (iid == null) {
            iid = (long) ANNOTATIONS.length + moreNames.size() + 1;
            moreNames.put(name, iid);
            interned.message(INTERNED_ANNOTATION_NAMES, entry.reset().varint(ENTRY_IID, iid).string(ENTRY_NAME, name));
        }
        return iid;
    }

    private long stringId(String value) {
        Long iid = strings.get(value);
        if (iid == null) {
            iid = (long) strings.size() + 1;
            strings.put(value, iid);
            interned.message(INTERNED_ANNOTATION_STRINGS, entry.reset().varint(ENTRY_IID, iid).string(ENTRY_NAME, value));
        }
        return iid;
    }

    /** A string annotation whose value repeats (a function's name): interned. */
    Packets internedString(int id, String value) {
        annotationName(id);
        event.message(EVENT_DEBUG_ANNOTATIONS, annotation.varint(ANNOTATION_STRING_IID, stringId(value)));
        return this;
    }

    /** A string annotation named {@code name} whose value repeats (an exception's class): interned. */
    Packets internedString(String name, String value) {
        annotation.reset().varint(ANNOTATION_NAME_IID, nameId(name)).varint(ANNOTATION_STRING_IID, stringId(value));
        event.message(EVENT_DEBUG_ANNOTATIONS, annotation);
        return this;
    }

    /**
     * The call's arguments: an annotation {@code arguments} whose dict has an entry per argument,
     * named by {@code names} (joined by commas, or null: arg0, arg1, ...), {@code ...} for those left out.
     */
    Packets arguments(ArgValue[] args, String names) {
        String[] n = names == null ? null : names.split(",", -1);
        dict.reset().varint(ANNOTATION_NAME_IID, nameId("arguments"));
        for (int i = 0; i < args.length; i++) {
            item.reset().varint(ANNOTATION_NAME_IID, nameId(args[i].kind == ArgValue.MORE ? "..." : ArgText.name(n, i)));
            value(item, args[i]);
            dict.message(ANNOTATION_DICT_ENTRIES, item);
        }
        event.message(EVENT_DEBUG_ANNOTATIONS, dict);
        return this;
    }

    /** An annotation named {@code name} holding {@code v}: typed if a number or boolean, else its text. */
    Packets value(String name, ArgValue v) {
        annotation.reset().varint(ANNOTATION_NAME_IID, nameId(name));
        value(annotation, v);
        event.message(EVENT_DEBUG_ANNOTATIONS, annotation);
        return this;
    }

    Packets integer(String name, long v) {
        event.message(EVENT_DEBUG_ANNOTATIONS, annotation.reset().varint(ANNOTATION_NAME_IID, nameId(name))
                .varint(ANNOTATION_INT, v));
        return this;
    }

    Packets real(String name, double v) {
        event.message(EVENT_DEBUG_ANNOTATIONS, annotation.reset().varint(ANNOTATION_NAME_IID, nameId(name))
                .real(ANNOTATION_DOUBLE, v));
        return this;
    }

    Packets bool(String name, boolean v) {
        event.message(EVENT_DEBUG_ANNOTATIONS, annotation.reset().varint(ANNOTATION_NAME_IID, nameId(name))
                .bool(ANNOTATION_BOOL, v));
        return this;
    }

    Packets string(String name, String v) {
        event.message(EVENT_DEBUG_ANNOTATIONS, annotation.reset().varint(ANNOTATION_NAME_IID, nameId(name))
                .string(ANNOTATION_STRING, v));
        return this;
    }

    private static void value(ProtoWriter w, ArgValue v) {
        switch (v.kind) {
            case ArgValue.BOOL:
                w.bool(ANNOTATION_BOOL, v.bits != 0);
                break;
            case ArgValue.INT:
                w.varint(ANNOTATION_INT, v.bits);
                break;
            case ArgValue.FLOAT: // the double that prints as Java prints the float (0.1, not 0.10000000149011612)
                w.real(ANNOTATION_DOUBLE, ArgValue.decimal(Float.intBitsToFloat((int) v.bits)));
                break;
            case ArgValue.DOUBLE:
                w.real(ANNOTATION_DOUBLE, Double.longBitsToDouble(v.bits));
                break;
            default:
                w.string(ANNOTATION_STRING, v.toString());
        }
    }

    Packets string(int id, String value) {
        annotationName(id);
        event.message(EVENT_DEBUG_ANNOTATIONS, annotation.string(ANNOTATION_STRING, value));
        return this;
    }

    Packets uint(int id, long value) {
        annotationName(id);
        event.message(EVENT_DEBUG_ANNOTATIONS, annotation.varint(ANNOTATION_UINT, value));
        return this;
    }

    Packets flag(int id) {
        annotationName(id);
        event.message(EVENT_DEBUG_ANNOTATIONS, annotation.bool(ANNOTATION_BOOL, true));
        return this;
    }

    /** Writes the event at {@code ts}. */
    void event(long ts) throws IOException {
        packet.reset();
        if (ts >= last) {
            packet.varint(PACKET_TIMESTAMP, ts - last);
            last = ts;
        } else {
            packet.varint(PACKET_TIMESTAMP, ts).varint(PACKET_TIMESTAMP_CLOCK_ID, BUILTIN_CLOCK_BOOTTIME);
        }
        packet.varint(PACKET_SEQUENCE_ID, sequence);
        if (interned.size() > 0) {
            packet.message(PACKET_INTERNED_DATA, interned);
        }
        packet.message(PACKET_TRACK_EVENT, event);
        emit();
    }

    private void emit() throws IOException {
        trace.reset().message(TRACE_PACKET, packet).writeTo(out);
        bytes += trace.size();
    }
}
