package org.jftrace.ftrace;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.junit.jupiter.api.Test;

class TrampolineTest {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    @Test
    void theOneBootstrapLinksEachSiteByItsNameAndAnUnknownNameToNothing() throws Throwable {
        int ip = Ftrace.addFunction(null, "trampolinetest/A", "run", "()V", true, "trampolinetest", false);

        CallSite key = Trampoline.site(LOOKUP, "jftrace_key", MethodType.methodType(boolean.class), ip);
        assertThat(key).as("the package's static key").isSameAs(FtraceReplaceCode.linkKey(ip));

        CallSite entry = Trampoline.site(LOOKUP, "jftrace_entry", MethodType.methodType(Object.class), ip);
        assertThat(entry).isInstanceOf(EntrySite.class);
        assertThat((Object) entry.dynamicInvoker().invokeExact()).as("nothing traces the function").isNull();

        CallSite exit = Trampoline.site(LOOKUP, "jftrace_exit", MethodType.methodType(void.class, Object.class), ip);
        assertThat(exit).isInstanceOf(ExitSite.class);
        assertThat(((ExitSite) exit).isThrow).isFalse();
        CallSite thrown = Trampoline.site(LOOKUP, "jftrace_throw",
                MethodType.methodType(void.class, Throwable.class, Object.class), ip);
        assertThat(((ExitSite) thrown).isThrow).isTrue();

        CallSite unknown = Trampoline.site(LOOKUP, "not_ours", MethodType.methodType(Object.class), ip);
        assertThat(unknown).isInstanceOf(ConstantCallSite.class);
        assertThat((Object) unknown.dynamicInvoker().invokeExact()).isNull();
    }
}
