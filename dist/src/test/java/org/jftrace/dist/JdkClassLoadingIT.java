package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** JDK classes that load while tracing runs, with an include that names their package. */
class JdkClassLoadingIT {

    @Test
    void aJdkClassLoadingWhileAnotherThreadHoldsTheCoreLockLoadsAtOnceAndGetsItsSitesAfter() throws Exception {
        ChildJvm r = ChildJvm.run("include=java.util.*,include=itest.JdkLoadUnderLockApp$Probe",
                List.of("-cp", ChildJvm.TEST_CLASSES.toString()), "itest.JdkLoadUnderLockApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).as(r.toString()).contains("loaded under the lock").doesNotContain("DEADLOCK");
        assertThat(r.out).as(r.toString()).containsPattern("sites: [1-9]").contains("traced: true observers 0");
        assertThat(r.err).as(r.toString()).doesNotContain("jftrace:");
    }
}
