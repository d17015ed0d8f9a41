package org.jftrace.cli.perfetto;

/**
 * The field numbers and enum values of Perfetto's trace protos that this writer uses
 * (protos/perfetto/trace/: trace.proto, trace_packet.proto, clock_snapshot.proto,
 * trace_packet_defaults.proto, track_event/*.proto, interned_data/interned_data.proto).
 */
final class Fields {

    private Fields() {
    }

    /** Trace. */
    static final int TRACE_PACKET = 1;

    /** TracePacket. */
    static final int PACKET_TIMESTAMP = 8;
    static final int PACKET_TIMESTAMP_CLOCK_ID = 58;
    static final int PACKET_SEQUENCE_ID = 10;
    static final int PACKET_TRACK_EVENT = 11;
    static final int PACKET_INTERNED_DATA = 12;
    static final int PACKET_SEQUENCE_FLAGS = 13;
    static final int PACKET_CLOCK_SNAPSHOT = 6;
    static final int PACKET_DEFAULTS = 59;
    static final int PACKET_TRACK_DESCRIPTOR = 60;
    static final int SEQ_INCREMENTAL_STATE_CLEARED = 1;

    /** ClockSnapshot and its Clock. */
    static final int SNAPSHOT_CLOCKS = 1;
    static final int CLOCK_ID = 1;
    static final int CLOCK_TIMESTAMP = 2;
    static final int CLOCK_IS_INCREMENTAL = 3;
    static final int BUILTIN_CLOCK_BOOTTIME = 6;
    /** The first sequence-scoped clock id. */
    static final int SEQUENCE_CLOCK = 64;

    /** TracePacketDefaults. */
    static final int DEFAULTS_TIMESTAMP_CLOCK_ID = 58;

    /** TrackDescriptor, ProcessDescriptor, ThreadDescriptor. */
    static final int TRACK_UUID = 1;
    static final int TRACK_PARENT_UUID = 5;
    static final int TRACK_NAME = 2;
    static final int TRACK_PROCESS = 3;
    static final int TRACK_THREAD = 4;
    static final int PROCESS_PID = 1;
    static final int PROCESS_NAME = 6;
    static final int THREAD_PID = 1;
    static final int THREAD_TID = 2;
    static final int THREAD_NAME = 5;

    /** TrackEvent. */
    static final int EVENT_TYPE = 9;
    static final int EVENT_TRACK_UUID = 11;
    static final int EVENT_NAME_IID = 10;
    static final int EVENT_NAME = 23;
    static final int EVENT_DEBUG_ANNOTATIONS = 4;
    static final int TYPE_SLICE_BEGIN = 1;
    static final int TYPE_SLICE_END = 2;
    static final int TYPE_INSTANT = 3;

    /** DebugAnnotation. */
    static final int ANNOTATION_NAME_IID = 1;
    static final int ANNOTATION_BOOL = 2;
    static final int ANNOTATION_UINT = 3;
    static final int ANNOTATION_INT = 4;
    static final int ANNOTATION_DOUBLE = 5;
    static final int ANNOTATION_STRING = 6;
    static final int ANNOTATION_DICT_ENTRIES = 11;
    static final int ANNOTATION_STRING_IID = 17;

    /** InternedData and its entries (EventName, DebugAnnotationName: iid, name; InternedString: iid, str). */
    static final int INTERNED_EVENT_NAMES = 2;
    static final int INTERNED_ANNOTATION_NAMES = 3;
    static final int INTERNED_ANNOTATION_STRINGS = 29;
    static final int ENTRY_IID = 1;
    static final int ENTRY_NAME = 2;
}
