package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A live patch through the public API in a real JVM: a running method is hot-fixed, then restored. */
class LivePatchIT {

    @Test
    void aRunningMethodIsHotFixedWithoutARestartAndUnpatchingRestoresIt() throws Exception {
        ChildJvm r = ChildJvm.run(null, List.of("-cp", ChildJvm.TEST_CLASSES.toString()), "itest.HotFixApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.lines()).as(r.toString()).containsSubsequence(
                "before fix: failures true",
                "while fixed: new failures 0",
                "fixed call 0",
                "itest.HotFixApp.unitPrice(II)I (1)   I D O M \tops: hotfix-unitPrice",
                "\tdirect-->itest.HotFixApp.fixedUnitPrice",
                "after unpatch: failures again true",
                "original behaviour java.lang.ArithmeticException",
                "enabled_functions empty true");
        assertThat(r.err).doesNotContain("jftrace:");
    }
}
