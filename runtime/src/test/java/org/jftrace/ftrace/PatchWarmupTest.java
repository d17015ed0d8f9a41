package org.jftrace.ftrace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PatchWarmupTest {

    @Test
    void warmupSwitchesPrivateSitesAndLeavesTheCoreAsItWas() {
        int functions = Ftrace.records().size();
        String stats = Ftrace.patchStats();
        String enabled = Ftrace.enabledFunctions();

        PatchWarmup.run(400, 10); // more rounds than a chain holds: the full-chain relink runs too

        assertThat(PatchWarmup.lastNanos()).isPositive();
        assertThat(Ftrace.records().size()).isEqualTo(functions);
        assertThat(Ftrace.patchStats()).isEqualTo(stats);
        assertThat(Ftrace.enabledFunctions()).isEqualTo(enabled);
        assertThat(Ftrace.registeredOps()).noneMatch(op -> op.name.startsWith("jftrace-warmup"));
    }

    @Test
    void aBatchOnPrivateRecordsMovesThemToANewGroupBehindTheFallenGuard() throws Throwable {
        FtraceOps op = new FtraceOps("probe", 0, (ip, parentIp, o, regs) -> { });
        java.lang.invoke.MethodType type = java.lang.invoke.MethodType.methodType(Object.class, Object.class);
        DynFtrace rec = new DynFtrace(0, "probe", null, null, true, false);
        EntrySite site = new EntrySite(type);
        PatchGroup g = new PatchGroup(null);
        rec.group = g;
        g.members.add(rec);
        site.link(g, rec);
        rec.sites = new EntrySite[] {site};
        java.lang.invoke.MethodHandle call = site.dynamicInvoker();
        assertThat(call.invoke((Object) "x")).isNull();

        rec.binding = op;
        int[] counts = FtraceReplaceCode.switchBatch(java.util.List.of(rec), new java.util.ArrayList<>());

        assertThat(counts).containsExactly(1, 1);
        assertThat(g.isInvalidated()).isTrue();
        assertThat(rec.group).isNotSameAs(g);
        assertThat(rec.group.members).containsExactly(rec);
        assertThat(site.hops()).isEqualTo(1);
        assertThat(call.invoke((Object) "x")).isNull(); // an unregistered ops is never called
    }
}
