package org.jftrace.ftrace;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EntrySiteTest {

    private final AtomicInteger calls = new AtomicInteger();
    private final FtraceOps op = new FtraceOps("chain", 0, (ip, parentIp, o, regs) -> calls.incrementAndGet());

    /** A private record and site, linked in a group of their own: no table or filter sees them. */
    private static DynFtrace linked(EntrySite site) {
        DynFtrace rec = new DynFtrace(0, "chain", null, null, true, false);
        PatchGroup g = new PatchGroup(null);
        rec.group = g;
        g.members.add(rec);
        site.link(g, rec);
        rec.sites = new EntrySite[] {site};
        return rec;
    }

    @Test
    void aSiteSwitchedToTheEndOfItsChainCallsExactlyItsBindingAfterEverySwitchAndIsThenRelinkedWhole() throws Throwable {
        EntrySite site = new EntrySite(MethodType.methodType(Object.class, Object.class));
        DynFtrace rec = linked(site);
        MethodHandle call = site.dynamicInvoker();

        ThreadCtx.current(); // the callback counts only calls on this thread
        op.setState(FtraceOps.STATE_ENABLED);
        try {
            List<DynFtrace> full = new ArrayList<>();
            for (int s = 1; s <= ChainedSite.MAX_HOPS; s++) {
                boolean on = s % 2 == 1;
                rec.binding = on ? op : OpsListFunc.NOP;
                full.clear();
                FtraceReplaceCode.switchBatch(List.of(rec), full);
                assertThat(full).as("switch %d", s).isEmpty();
                assertThat(site.hops()).isEqualTo(s);
                int before = calls.get();
                Object token = call.invoke((Object) "x");
                assertThat(calls.get() - before).as("callback calls after switch %d", s).isEqualTo(on ? 1 : 0);
                if (token != null) {
                    Exits.exitV(token);
                }
            }
            rec.binding = op;
            FtraceReplaceCode.switchBatch(List.of(rec), full);
            assertThat(full).containsExactly(rec); // used up: the caller relinks it whole

            FtraceReplaceCode.relinkWhole(rec);
            assertThat(site.hops()).isZero();
            int before = calls.get();
            Exits.exitV(call.invoke((Object) "x"));
            assertThat(calls.get() - before).isEqualTo(1);
        } finally {
            op.setState(FtraceOps.STATE_UNREGISTERED);
        }
    }
}
