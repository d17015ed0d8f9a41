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
        MutableCallSite key = FtraceReplaceCode.linkKey(a);
        assertThat(FtraceReplaceCode.linkKey(b)).as("one key per package").isSameAs(key);
        assertThat(FtraceReplaceCode.linkKey(other)).isNotSameAs(key);
        assertThat(says(key)).isFalse();

        FtraceOps first = new FtraceOps("key-first", 0, (ip, parentIp, o, regs) -> { });
        FtraceOps second = new FtraceOps("key-second", 0, (ip, parentIp, o, regs) -> { });
        Ftrace.setFilter(first, "keytest.one.A.run", true);
        Ftrace.setFilter(second, "keytest.one.*", true);
        try {
            Ftrace.registerFtraceFunction(first);
            assertThat(says(key)).isTrue();
            assertThat(says(FtraceReplaceCode.linkKey(other))).as("another package's key").isFalse();

            Ftrace.registerFtraceFunction(second);
            Ftrace.unregisterFtraceFunction(first);
            assertThat(says(key)).as("B and A are still traced by the second ops").isTrue();

            Ftrace.setFilter(second, "keytest.one.B.run", true);
            assertThat(says(key)).isTrue();
            Ftrace.setFilter(second, "keytest.two.*", true);
            assertThat(says(FtraceReplaceCode.linkKey(other))).isTrue();
            // Nothing of the package is traced any more: its key goes off after the delay, not in the
            // batch (see StaticKey), unless the package is traced again first.
            turnOffDueKeys();
            assertThat(says(key)).as("nothing of the package is traced any more").isFalse();
        } finally {
            for (FtraceOps op : new FtraceOps[] {first, second}) {
                if (Ftrace.registeredOps().contains(op)) {
                    Ftrace.unregisterFtraceFunction(op);
                }
            }
        }
        turnOffDueKeys();
        assertThat(says(key)).isFalse();
        assertThat(says(FtraceReplaceCode.linkKey(other))).isFalse();
    }

    /** What the background thread does once the delay has passed. */
    private static void turnOffDueKeys() {
        synchronized (Ftrace.LOCK) {
            StaticKey.flushDeferred();
        }
    }

    @Test
    void aKeyTracedAgainWithinItsDelayNeverGoesOff() throws Throwable {
        int f = function("keytest/again/F", "run");
        MutableCallSite key = FtraceReplaceCode.linkKey(f);
        FtraceOps op = new FtraceOps("key-again", 0, (ip, parentIp, o, regs) -> { });
        Ftrace.setFilter(op, "keytest.again.*", true);
        Ftrace.registerFtraceFunction(op);
        try {
            assertThat(says(key)).isTrue();
            Ftrace.setFilter(op, "keytest.none.*", true);
            if (StaticKey.OFF_DELAY_NANOS >= 1_000_000_000L) { // the default: no test machine takes a second here
                assertThat(says(key)).as("still within the delay").isTrue();
            }
            Ftrace.setFilter(op, "keytest.again.*", true);
            turnOffDueKeys();
            assertThat(says(key)).as("traced again before the delay ran out").isTrue();
        } finally {
            Ftrace.unregisterFtraceFunction(op);
        }
        turnOffDueKeys();
        assertThat(says(key)).isFalse();
    }

    @Test
    void aFunctionCreatedWhileAnOpsTracesEverythingTurnsItsKeyOnAtOnce() throws Throwable {
        FtraceOps all = new FtraceOps("key-all", 0, (ip, parentIp, o, regs) -> { });
        Ftrace.setFilter(all, "keytest.late.*", true);
        Ftrace.registerFtraceFunction(all);
        try {
            int late = function("keytest/late/D", "run");
            assertThat(says(FtraceReplaceCode.linkKey(late))).isTrue();
        } finally {
            Ftrace.unregisterFtraceFunction(all);
        }
    }

    @Test
    void constructorsOfAPackageHaveTheirOwnKey() {
        int m = function("keytest/ctor/E", "run");
        int c = function("keytest/ctor/E", "<init>");
        assertThat(FtraceReplaceCode.linkKey(c)).isNotSameAs(FtraceReplaceCode.linkKey(m));
    }
}
