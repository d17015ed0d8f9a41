package org.jftrace.ftrace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jftrace.filter.FilterException;
import org.junit.jupiter.api.Test;

class NotraceListTest {

    @Test
    void theClassesTheTracerRunsOnHaveAReasonAndOthersHaveNone() {
        assertThat(NotraceList.reason("java/lang/String")).startsWith("java.lang.*: ");
        assertThat(NotraceList.reason("java/lang/invoke/MethodHandle")).startsWith("java.lang.*: ");
        assertThat(NotraceList.reason("java/util/concurrent/ConcurrentHashMap$Node"))
                .startsWith("java.util.concurrent.ConcurrentHashMap: ");
        assertThat(NotraceList.reason("jdk/internal/misc/Unsafe")).startsWith("jdk.internal.*: ");
        assertThat(NotraceList.reason("java/util/HashMap")).isNull();
        assertThat(NotraceList.reason("java/util/concurrent/ConcurrentLinkedQueue")).isNull();
        assertThat(NotraceList.reason("com/acme/Foo")).isNull();
    }

    @Test
    void aGlobWhoseLiteralHeadLiesInsideOneRuleIsCoveredByIt() {
        assertThat(NotraceList.coveringReason("java.lang.String*")).startsWith("java.lang.*: ");
        assertThat(NotraceList.coveringReason("java.util.concurrent.atomic.*")).startsWith("java.util.concurrent.atomic.*: ");
        assertThat(NotraceList.coveringReason("java.util.Objects")).startsWith("java.util.Objects: ");
        // these can select classes that get sites
        assertThat(NotraceList.coveringReason("java.*")).isNull();
        assertThat(NotraceList.coveringReason("java.util.*")).isNull();
        assertThat(NotraceList.coveringReason("java.lan?.String")).isNull();
        assertThat(NotraceList.coveringReason("*")).isNull();
    }

    @Test
    void onlyIncludesThatNameAJdkPackageRootSelectJdkClasses() {
        assertThat(NotraceList.namesJdk("java.util.*")).isTrue();
        assertThat(NotraceList.namesJdk("javax.net.*")).isTrue();
        assertThat(NotraceList.namesJdk("*")).isFalse();
        assertThat(NotraceList.namesJdk("com.acme.*")).isFalse();
        assertThat(NotraceList.namesJdk("j*")).isFalse();
    }

    @Test
    void aFilterThatCanSelectOnlyNotraceFunctionsIsRefusedNamingTheReasonAndChangesNothing() {
        FtraceOps op = new FtraceOps("notrace-test", 0, (ip, parent, o, regs) -> { });
        Ftrace.setFilter(op, "com.acme.Kept.*", true);
        assertThatThrownBy(() -> Ftrace.setFilter(op, "java.lang.String.equals", true))
                .isInstanceOf(FilterException.class)
                .hasMessage("set_ftrace_filter: 'java.lang.String.equals' selects only functions that never get sites ("
                        + NotraceList.reason("java/lang/String") + ")");
        assertThat(op.filterHash.rules()).extracting(Object::toString).containsExactly("com.acme.Kept.*");
        Ftrace.setNotrace(op, "java.lang.String.*", true); // a notrace of them is harmless
    }
}
