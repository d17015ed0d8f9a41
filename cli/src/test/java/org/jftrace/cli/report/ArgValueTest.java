package org.jftrace.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A recorded float as a typed value (chrome-json, Perfetto) prints as the trace prints it. */
class ArgValueTest {

    static ArgValue floatValue(float f) {
        return new ArgValue(ArgValue.FLOAT, Float.floatToRawIntBits(f), null, 0);
    }

    @Test
    void aFloatIsTheDoubleThatPrintsAsJavaPrintsTheFloat() {
        for (float f : new float[] {0.1f, 0.2f, 1e-5f, 3.4028235e38f, -7.25f, 1.4e-45f}) {
            assertThat(floatValue(f).plain()).isInstanceOf(Double.class).hasToString(Float.toString(f));
            assertThat(floatValue(f).toString()).isEqualTo(Float.toString(f));
        }
        assertThat(floatValue(0.1f).plain()).isEqualTo(0.1);
    }

    @Test
    void aFloatThatIsNotFiniteStaysSo() {
        assertThat(floatValue(Float.NaN).plain()).isEqualTo(Double.NaN);
        assertThat(floatValue(Float.NEGATIVE_INFINITY).plain()).isEqualTo(Double.NEGATIVE_INFINITY);
    }
}
