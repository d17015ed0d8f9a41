package org.jftrace.ftrace;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MutableCallSite;
import org.junit.jupiter.api.Test;

class StaticKeyTest {

    private static int function(String owner, String method) {
        return Ftrace.addFunction(null, owner, method, "()V", true, "keytest", false);
    }

    private static boolean says(MutableCallSite key) throws Throwable {
        MethodHandle h = key.dynamicInvoker();
        return (boolean) h.invokeExact();
    }

    @Test
    void aPackageKeyIsOnExactlyWhileOneOfItsFunctionsIsTraced() throws Throwable {
        int a = function("keytest/one/A", "run");
        int b = function("keytest/one/B", "run");
        int other = function("keytest/two/C", "run");
        MutableCallSite key = Ftrace.linkKey(a);
        assertThat(Ftrace.linkKey(b)).as("one key per package").isSameAs(key);
        assertThat(Ftrace.linkKey(other)).isNotSameAs(key);
        assertThat(says(key)).isFalse();

        FtraceOps first = new FtraceOps("key-first", 0, (ip, parentIp, o, regs) -> { });
        FtraceOps second = new FtraceOps("key-second", 0, (ip, parentIp, o, regs) -> { });
        Ftrace.setFilter(first, "keytest.one.A.run", true);
        Ftrace.setFilter(second, "keytest.one.*", true);
        try {
            Ftrace.registerFtraceFunction(first);
            assertThat(says(key)).isTrue();
            assertThat(says(Ftrace.linkKey(other))).as("another package's key").isFalse();

            Ftrace.registerFtraceFunction(second);
            Ftrace.unregisterFtraceFunction(first);
            assertThat(says(key)).as("B and A are still traced by the second ops").isTrue();

            Ftrace.setFilter(second, "keytest.one.B.run", true);
            assertThat(says(key)).isTrue();
            Ftrace.setFilter(second, "keytest.two.*", true);
            assertThat(says(key)).as("nothing of the package is traced any more").isFalse();
            assertThat(says(Ftrace.linkKey(other))).isTrue();
        } finally {
            for (FtraceOps op : new FtraceOps[] {first, second}) {
                if (Ftrace.registeredOps().contains(op)) {
                    Ftrace.unregisterFtraceFunction(op);
                }
            }
        }
        assertThat(says(key)).isFalse();
        assertThat(says(Ftrace.linkKey(other))).isFalse();
    }

    @Test
    void aFunctionCreatedWhileAnOpsTracesEverythingTurnsItsKeyOnAtOnce() throws Throwable {
        FtraceOps all = new FtraceOps("key-all", 0, (ip, parentIp, o, regs) -> { });
        Ftrace.setFilter(all, "keytest.late.*", true);
        Ftrace.registerFtraceFunction(all);
        try {
            int late = function("keytest/late/D", "run");
            assertThat(says(Ftrace.linkKey(late))).isTrue();
        } finally {
            Ftrace.unregisterFtraceFunction(all);
        }
    }

    @Test
    void constructorsOfAPackageHaveTheirOwnKey() {
        int m = function("keytest/ctor/E", "run");
        int c = function("keytest/ctor/E", "<init>");
        assertThat(Ftrace.linkKey(c)).isNotSameAs(Ftrace.linkKey(m));
    }
}
