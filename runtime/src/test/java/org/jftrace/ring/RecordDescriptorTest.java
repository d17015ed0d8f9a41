package org.jftrace.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecordDescriptorTest {

    @Test
    void headerPacksTypeFlagsDepthAndIpIndependently() {
        final long h = RecordDescriptor.header(RecordDescriptor.TYPE_GRAPH_RETURN, RecordDescriptor.FLAG_EXCEPTION,
            1234, 0xCAFEBABE);
        assertThat(RecordDescriptor.type(h)).isEqualTo(RecordDescriptor.TYPE_GRAPH_RETURN);
        assertThat(RecordDescriptor.flags(h)).isEqualTo(RecordDescriptor.FLAG_EXCEPTION);
        assertThat(RecordDescriptor.depth(h)).isEqualTo(1234);
        assertThat(RecordDescriptor.ip(h)).isEqualTo(0xCAFEBABE);
    }

    @Test
    void depthSaturatesInsteadOfWrappingIntoTheFlags() {
        final long h = RecordDescriptor.header(RecordDescriptor.TYPE_GRAPH_ENTRY, 0, 70_000, 5);
        assertThat(RecordDescriptor.depth(h)).isEqualTo(RecordDescriptor.MAX_DEPTH);
        assertThat(RecordDescriptor.flags(h)).isZero();
        assertThat(RecordDescriptor.type(h)).isEqualTo(RecordDescriptor.TYPE_GRAPH_ENTRY);
        assertThat(RecordDescriptor.depth(RecordDescriptor.header(1, 0, -3, 0))).isZero();
    }

    @Test
    void sizeInKbRoundsDownToPowerOfTwoSlots() {
        assertThat(RecordDescriptor.slotsForSizeKb(256)).isEqualTo(8192);
        assertThat(RecordDescriptor.slotsForSizeKb(1408)).isEqualTo(32768);
        assertThat(RecordDescriptor.slotsForSizeKb(1)).isEqualTo(32);
        assertThatThrownBy(() -> RecordDescriptor.slotsForSizeKb(0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("buffer_size_kb=0");
    }

    @Test
    void emptySlotNeverDecodesAsARecordType() {
        assertThat(RecordDescriptor.type(0L)).isEqualTo(RecordDescriptor.TYPE_NONE);
        assertThat(RecordDescriptor.typeName(RecordDescriptor.TYPE_NONE)).isEqualTo("unknown");
    }
}
