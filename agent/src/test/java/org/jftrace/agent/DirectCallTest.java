package org.jftrace.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jftrace.ftrace.DirectCall;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Direct calls (fentry/fexit), DIRECT_CALLS_MULTI, the kernel's rules, and live patching. */
class DirectCallTest {

    static final String D = "sites.fixture.Direct.";
    static final MethodHandles.Lookup L = MethodHandles.lookup();
    static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());

    static Class<?> direct;
    final List<FtraceOps> registered = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        // Planted with their arguments at the entry: no agent here to plant them again when an ops
        // that takes arguments (or a direct call) binds them.
        Ftrace.setAllEntryArgs(true);
        try {
            direct = new Instrumented("sites.fixture.Direct").loadClass("sites.fixture.Direct");
        } finally {
            Ftrace.setAllEntryArgs(false);
        }
    }

    @AfterEach
    void unregister() {
        for (FtraceOps op : registered) {
            if (op.isEnabled()) {
                if (op.hasFlag(FtraceOps.FL_DIRECT)) {
                    Ftrace.unregisterFtraceDirect(op);
                } else {
                    Ftrace.unregisterFtraceFunction(op);
                }
            }
        }
        EVENTS.clear();
    }

    // ---------------------------------------------------------------------------------------------
    // Handlers: plain static methods of the exact types

    static void onPrims(boolean z, byte b, char c, short s, int i, long j, float f, double d) {
        EVENTS.add("prims " + z + " " + b + " " + c + " " + s + " " + i + " " + j + " " + f + " " + d);
    }

    static void onTwoSlot(long a, double b, long c) {
        EVENTS.add("twoSlot " + a + " " + b + " " + c);
    }

    static void onObjects(Object self, String s, int[] values, Object[] rest) throws Exception {
        EVENTS.add("objects base=" + self.getClass().getField("base").getInt(self) + " " + s + " " + Arrays.toString(values)
                + " " + Arrays.toString(rest));
    }

    static void onNew(Object self, int base) throws Exception {
        EVENTS.add("new base=" + self.getClass().getField("base").getInt(self) + " arg=" + base);
    }

    static void onNewExit(Object self) throws Exception {
        EVENTS.add("new-exit base=" + self.getClass().getField("base").getInt(self));
    }

    static void onThrowerEntry(int v) {
        EVENTS.add("thrower> " + v);
    }

    static void onThrowerExit(int r) {
        EVENTS.add("thrower< " + r);
    }

    static void onThrowerThrow(Throwable t) {
        EVENTS.add("thrower! " + t.getMessage());
    }

    static void onLong(long v) {
        EVENTS.add("long " + v);
    }

    static void onInt(int v) {
        EVENTS.add("int " + v);
    }

    static final AtomicLong TICKS = new AtomicLong();
    static final AtomicLong A = new AtomicLong();
    static final AtomicLong B = new AtomicLong();

    static void onTick(int i) {
        TICKS.incrementAndGet();
    }

    static void countA(int qty) {
        A.incrementAndGet();
    }

    static void countB(int qty) {
        B.incrementAndGet();
    }

    static int one(int qty) {
        return 1;
    }

    static int two(int qty) {
        return 2;
    }

    static boolean odd(int qty) {
        return (qty & 1) != 0;
    }

    static String fixedLabel(String s) {
        return "fixed:" + s;
    }

    static double safeRatio(double a, double b) {
        return b == 0 ? 0.0 : a / b;
    }

    static long bigFix(long v) {
        return v * 1000;
    }

    static boolean notFlag(int v) {
        return v <= 0;
    }

    static void noTouch() {
        EVENTS.add("touch replaced");
    }

    static MethodHandle mh(String name, Class<?> ret, Class<?>... params) throws Exception {
        return L.findStatic(DirectCallTest.class, name, MethodType.methodType(ret, params));
    }

    static MethodHandle target(String name, Class<?> ret, Class<?>... params) throws Exception {
        return MethodHandles.publicLookup().findStatic(direct, name, MethodType.methodType(ret, params));
    }

    FtraceOps directOps(String name, int flags, String filter, DirectCall call) {
        FtraceOps op = FtraceOps.direct(name, flags);
        Ftrace.setFilter(op, filter, true);
        Ftrace.registerFtraceDirect(op, call);
        registered.add(op);
        return op;
    }

    // ---------------------------------------------------------------------------------------------
    // fentry / fexit

    @Test
    void fentryHandlersGetEveryParameterKindExactlyWithOneOpsOverManyFunctions() throws Throwable {
        DirectCall multi = DirectCall.multi()
                .forFunction(D + "prims(ZBCSIJFD)I", DirectCall.entry(mh("onPrims", void.class, boolean.class, byte.class,
                        char.class, short.class, int.class, long.class, float.class, double.class)))
                .forFunction(D + "twoSlot(JDJ)J", DirectCall.entry(mh("onTwoSlot", void.class, long.class, double.class, long.class)))
                .forFunction(D + "objects(Ljava/lang/String;[I[Ljava/lang/Object;)Ljava/lang/String;",
                        DirectCall.entry(mh("onObjects", void.class, Object.class, String.class, int[].class, Object[].class)))
                .forFunction(D + "<init>(I)V", DirectCall.entry(mh("onNew", void.class, Object.class, int.class))
                        .andExit(mh("onNewExit", void.class, Object.class)));
        FtraceOps op = directOps("multi", 0, "sites.fixture.Direct.prims sites.fixture.Direct.twoSlot "
                + "sites.fixture.Direct.objects sites.fixture.Direct.<init>", multi);

        assertThat((int) target("prims", int.class, boolean.class, byte.class, char.class, short.class, int.class,
                long.class, float.class, double.class).invoke(true, (byte) -2, 'x', (short) 300, 7, 1L << 40, 2.5f, -1.25))
                .isEqualTo(1 - 2 + 'x' + 300 + 7 + 0 + 2 - 1);
        assertThat((long) target("twoSlot", long.class, long.class, double.class, long.class)
                .invoke(Long.MAX_VALUE - 5, 1.5, -3L)).isEqualTo(Long.MAX_VALUE - 5 + 1 - 3);
        Object obj = direct.getConstructor(int.class).newInstance(9);
        MethodHandle objects = MethodHandles.publicLookup().findVirtual(direct, "objects",
                MethodType.methodType(String.class, String.class, int[].class, Object[].class));
        assertThat((String) objects.invoke(obj, "s", new int[] {1, 2}, new Object[] {"a", 3})).isEqualTo("s229");

        assertThat(EVENTS).containsExactly(
                "prims true -2 x 300 7 " + (1L << 40) + " 2.5 -1.25",
                "twoSlot " + (Long.MAX_VALUE - 5) + " 1.5 -3",
                "new base=0 arg=9", "new-exit base=9", // the entry runs after super(), before the fields
                "objects base=9 s [1, 2] [a, 3]");
        assertThat(Ftrace.enabledFunctions())
                .containsPattern("sites\\.fixture\\.Direct\\.twoSlot\\(JDJ\\)J \\(1\\)\\s+D O M \tops: multi\n"
                        + "\tdirect-->org\\.jftrace\\.agent\\.DirectCallTest\\.onTwoSlot");
        assertThat(op.isEnabled()).isTrue();
    }

    @Test
    void fexitHandlersSeeReturnValuesAndExceptions() throws Throwable {
        directOps("fexit", 0, "sites.fixture.Direct.thrower", DirectCall.entry(mh("onThrowerEntry", void.class, int.class))
                .andExit(mh("onThrowerExit", void.class, int.class)).andThrow(mh("onThrowerThrow", void.class, Throwable.class)));
        MethodHandle thrower = target("thrower", int.class, int.class);
        assertThat((int) thrower.invoke(-4)).isEqualTo(4);
        assertThatThrownBy(() -> thrower.invoke(3)).isInstanceOf(IllegalArgumentException.class).hasMessage("bad 3");
        assertThat(EVENTS).containsExactly("thrower> -4", "thrower< 4", "thrower> 3", "thrower! bad 3");
    }

    @Test
    void fexitAloneSeesLongAndBooleanReturns() throws Throwable {
        directOps("big", 0, "sites.fixture.Direct.big", DirectCall.exit(mh("onLong", void.class, long.class)));
        assertThat((long) target("big", long.class, long.class).invoke(1L << 50)).isEqualTo((1L << 50) + 1);
        assertThat(EVENTS).containsExactly("long " + ((1L << 50) + 1));
    }

    @Test
    void genericHandlersBoxForFunctionsOfAnyType() throws Throwable {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        directOps("generic", 0, "sites.fixture.Direct.twoSlot sites.fixture.Direct.label",
                DirectCall.generic((ip, args) -> seen.add("> " + Ftrace.records().name((int) ip).replace(D, "") + Arrays.toString(args)),
                        (ip, ret, thrown) -> seen.add("< " + ret)));
        target("twoSlot", long.class, long.class, double.class, long.class).invoke(1L, 2.0, 3L);
        target("label", String.class, String.class).invoke("x");
        assertThat(seen).containsExactly("> twoSlot(JDJ)J[1, 2.0, 3]", "< 6",
                "> label(Ljava/lang/String;)Ljava/lang/String;[x]", "< orig:x");
    }

    @Test
    void aHotDirectEntryAllocatesNothing() throws Throwable {
        directOps("tick", 0, "sites.fixture.Direct.tick", DirectCall.entry(mh("onTick", void.class, int.class)));
        MethodHandle spin = target("spin", long.class, int.class);
        for (int i = 0; i < 30; i++) {
            long s = (long) spin.invokeExact(100_000); // warm up: the loop and its site get compiled
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = TICKS.get();
        long before = mx.getCurrentThreadAllocatedBytes();
        long s = (long) spin.invokeExact(1_000_000);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(s).isEqualTo(500_000);
        assertThat(TICKS.get() - t0).isEqualTo(1_000_000);
        assertThat(allocated).as("bytes allocated by 1,000,000 directly traced calls").isLessThan(1_000_000);
    }

    // ---------------------------------------------------------------------------------------------
    // The kernel's rules and bad input

    @Test
    void aHandlerOfTheWrongTypeIsRefusedNamingBothTypesAndNothingIsRegistered() throws Throwable {
        FtraceOps op = FtraceOps.direct("wrong", 0);
        Ftrace.setFilter(op, "sites.fixture.Direct.thrower", true);
        assertThatThrownBy(() -> Ftrace.registerFtraceDirect(op, DirectCall.entry(mh("onLong", void.class, long.class))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(J)V")
                .hasMessageContaining("sites.fixture.Direct.thrower(I)I")
                .hasMessageContaining("needs (I)");
        assertThat(op.isEnabled()).isFalse();
        assertThat(Ftrace.registeredOps()).doesNotContain(op);
        assertThat(Ftrace.enabledFunctions()).doesNotContain("sites.fixture.Direct.thrower");
        FtraceOps patch = FtraceOps.direct("wrongret", FtraceOps.FL_IPMODIFY);
        Ftrace.setFilter(patch, "sites.fixture.Direct.label", true);
        assertThatThrownBy(() -> Ftrace.registerFtraceDirect(patch, DirectCall.replace(mh("one", int.class, int.class))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(I)I")
                .hasMessageContaining("sites.fixture.Direct.label(Ljava/lang/String;)Ljava/lang/String;");
        assertThat((int) target("thrower", int.class, int.class).invoke(-1)).isEqualTo(1);
        assertThat(EVENTS).isEmpty();
    }

    @Test
    void aSecondDirectOpsOnAFunctionIsBusyAndNamesTheHolder() throws Throwable {
        directOps("first", 0, "sites.fixture.Direct.tick", DirectCall.entry(mh("onInt", void.class, int.class)));
        FtraceOps second = FtraceOps.direct("second", 0);
        Ftrace.setFilter(second, "sites.fixture.Direct.tick sites.fixture.Direct.big", true);
        assertThatThrownBy(() -> Ftrace.registerFtraceDirect(second, DirectCall.multi()
                .forFunction(D + "tick(I)I", DirectCall.entry(mh("onInt", void.class, int.class)))
                .forFunction(D + "big(J)J", DirectCall.entry(mh("onLong", void.class, long.class)))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sites.fixture.Direct.tick(I)I is busy")
                .hasMessageContaining("'first'").hasMessageContaining("EBUSY");
        assertThat(second.isEnabled()).isFalse();
        target("big", long.class, long.class).invoke(1L);
        target("tick", int.class, int.class).invoke(3);
        assertThat(EVENTS).containsExactly("int 3");
    }

    @Test
    void atMostOneIpmodifyOpsPerFunction() throws Throwable {
        FtraceOps plain = new FtraceOps("ipmod", FtraceOps.FL_IPMODIFY, (ip, p, o, r) -> { });
        Ftrace.setFilter(plain, "sites.fixture.Direct.price", true);
        Ftrace.registerFtraceFunction(plain);
        registered.add(plain);
        FtraceOps patch = FtraceOps.direct("patch", FtraceOps.FL_IPMODIFY);
        Ftrace.setFilter(patch, "sites.fixture.Direct.price", true);
        assertThatThrownBy(() -> Ftrace.registerFtraceDirect(patch, DirectCall.replace(mh("one", int.class, int.class))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("IPMODIFY ops 'ipmod'")
                .hasMessageContaining("sites.fixture.Direct.price(I)I is busy");
        assertThat((int) target("price", int.class, int.class).invoke(5)).isZero();
    }

    @Test
    void aDirectOpsAndAnOrdinaryOpsOnOneFunctionBothRun() throws Throwable {
        directOps("direct", 0, "sites.fixture.Direct.thrower", DirectCall.entry(mh("onThrowerEntry", void.class, int.class))
                .andExit(mh("onThrowerExit", void.class, int.class)).andThrow(mh("onThrowerThrow", void.class, Throwable.class)));
        FtraceOps plain = new FtraceOps("plain", 0, (ip, p, o, r) -> EVENTS.add("plain>"),
                (ip, p, o, r) -> EVENTS.add("plain< " + r.retval()));
        Ftrace.setFilter(plain, "sites.fixture.Direct.thrower", true);
        Ftrace.registerFtraceFunction(plain);
        registered.add(plain);
        assertThat(Ftrace.enabledFunctions()).contains("ftrace_ops_list_func {direct, plain}")
                .contains("\tdirect-->org.jftrace.agent.DirectCallTest.onThrowerEntry");
        assertThat((int) target("thrower", int.class, int.class).invoke(-2)).isEqualTo(2);
        assertThatThrownBy(() -> target("thrower", int.class, int.class).invoke(1)).hasMessage("bad 1");
        assertThat(EVENTS).containsExactly("thrower> -2", "plain>", "thrower< 2", "plain< 2",
                "thrower> 1", "plain>", "thrower! bad 1", "plain< 0");
        Ftrace.unregisterFtraceFunction(plain);
        EVENTS.clear();
        target("thrower", int.class, int.class).invoke(-7);
        assertThat(EVENTS).containsExactly("thrower> -7", "thrower< 7");
    }

    // ---------------------------------------------------------------------------------------------
    // modify_ftrace_direct

    @Test
    void modifyUnderLoadNeverLetsACallMissBothHandlers() throws Throwable {
        A.set(0);
        B.set(0);
        FtraceOps op = directOps("ab", 0, "sites.fixture.Direct.price", DirectCall.entry(mh("countA", void.class, int.class)));
        DirectCall toA = DirectCall.entry(mh("countA", void.class, int.class));
        DirectCall toB = DirectCall.entry(mh("countB", void.class, int.class));
        MethodHandle spin = target("spinPrice", long.class, int.class);
        AtomicLong calls = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < 3; w++) {
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long s = (long) spin.invokeExact(1000);
                        calls.addAndGet(1000);
                        if (s != 0) {
                            errors.add(new AssertionError("sum " + s));
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            workers.add(t);
            t.start();
        }
        for (int round = 0; round < 300; round++) {
            Ftrace.modifyFtraceDirect(op, round % 2 == 0 ? toB : toA);
            // let calls run under each handler: on a loaded machine the workers may otherwise not have
            // made a single call before the rounds end, and the test would prove nothing
            long seen = calls.get();
            for (long deadline = System.nanoTime() + 10_000_000_000L;
                    calls.get() == seen && errors.isEmpty() && System.nanoTime() < deadline; ) {
                Thread.onSpinWait();
            }
        }
        stop.set(true);
        for (Thread t : workers) {
            t.join();
        }
        assertThat(errors).isEmpty();
        assertThat(A.get() + B.get()).as("every call ran exactly one of the two handlers").isEqualTo(calls.get());
        assertThat(A.get()).isPositive();
        assertThat(B.get()).isPositive();
    }

    // ---------------------------------------------------------------------------------------------
    // Live patching

    @Test
    void aLivePatchReplacesTheBodyAndUnpatchingRestoresIt() throws Throwable {
        MethodHandle label = target("label", String.class, String.class);
        MethodHandle ratio = target("ratio", double.class, double.class, double.class);
        MethodHandle big = target("big", long.class, long.class);
        MethodHandle flag = target("flag", boolean.class, int.class);
        MethodHandle touch = target("touch", void.class);
        MethodHandle sideEffects = target("sideEffects", int.class);
        FtraceOps fix = directOps("fix", FtraceOps.FL_IPMODIFY, "sites.fixture.Direct.label sites.fixture.Direct.ratio "
                + "sites.fixture.Direct.big sites.fixture.Direct.flag sites.fixture.Direct.touch", DirectCall.multi()
                .forFunction(D + "label(Ljava/lang/String;)Ljava/lang/String;", DirectCall.replace(mh("fixedLabel", String.class, String.class)))
                .forFunction(D + "ratio(DD)D", DirectCall.replace(mh("safeRatio", double.class, double.class, double.class)))
                .forFunction(D + "big(J)J", DirectCall.replace(mh("bigFix", long.class, long.class)))
                .forFunction(D + "flag(I)Z", DirectCall.replace(mh("notFlag", boolean.class, int.class)))
                .forFunction(D + "touch()V", DirectCall.replace(mh("noTouch", void.class))));
        int effects = (int) sideEffects.invoke();
        assertThat((String) label.invoke("a")).isEqualTo("fixed:a");
        assertThat((double) ratio.invoke(1.0, 0.0)).isEqualTo(0.0);
        assertThat((long) big.invoke(7L)).isEqualTo(7000L);
        assertThat((boolean) flag.invoke(5)).isFalse();
        touch.invoke();
        assertThat((int) sideEffects.invoke()).as("the replaced body did not run").isEqualTo(effects);
        assertThat(EVENTS).containsExactly("touch replaced");
        assertThat(Ftrace.enabledFunctions()).containsPattern("Direct\\.big\\(J\\)J \\(1\\)\\s+I D O M \tops: fix\n"
                + "\tdirect-->org\\.jftrace\\.agent\\.DirectCallTest\\.bigFix");

        Ftrace.unregisterFtraceDirect(fix);
        assertThat((String) label.invoke("a")).isEqualTo("orig:a");
        assertThat((double) ratio.invoke(1.0, 0.0)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat((long) big.invoke(7L)).isEqualTo(8L);
        assertThat((boolean) flag.invoke(5)).isTrue();
        touch.invoke();
        assertThat((int) sideEffects.invoke()).isEqualTo(effects + 1);
        assertThat(Ftrace.enabledFunctions()).doesNotContain("sites.fixture.Direct.");
    }

    @Test
    void aConditionalPatchLetsTheOriginalRunAndOrdinaryOpsSeeTheReplacedValue() throws Throwable {
        directOps("odd", FtraceOps.FL_IPMODIFY, "sites.fixture.Direct.price",
                DirectCall.replaceIf(mh("odd", boolean.class, int.class), mh("one", int.class, int.class)));
        MethodHandle price = target("price", int.class, int.class);
        assertThat((int) price.invoke(3)).isEqualTo(1);
        assertThat((int) price.invoke(4)).isEqualTo(0);
        FtraceOps plain = new FtraceOps("plain", 0, (ip, p, o, r) -> EVENTS.add("plain>"),
                (ip, p, o, r) -> EVENTS.add("plain< " + r.retval()));
        Ftrace.setFilter(plain, "sites.fixture.Direct.price", true);
        Ftrace.registerFtraceFunction(plain);
        registered.add(plain);
        assertThat((int) price.invoke(3)).isEqualTo(1);
        assertThat((int) price.invoke(4)).isEqualTo(0);
        assertThat(EVENTS).containsExactly("plain>", "plain< 1", "plain>", "plain< 0");
    }

    /**
     * Handler A returns 1, B returns 2, the original 0. A controller thread patches and unpatches
     * (register A, modify to B, unregister, register B, ...) while workers call; each call checks
     * that its result was allowed at some instant between its start and its end.
     */
    @Test
    void aLivePatchSwitchedUnderLoadLosesNoCallAndNoneIsServedByARemovedHandler() throws Throwable {
        MethodHandle price = target("price", int.class, int.class);
        DirectCall a = DirectCall.replace(mh("one", int.class, int.class));
        DirectCall b = DirectCall.replace(mh("two", int.class, int.class));
        // seq is odd while a change is in progress; allowed[k] = the result allowed after change k/2.
        AtomicLong seq = new AtomicLong();
        int rounds = 600;
        int[] allowed = new int[rounds + 2];
        FtraceOps op = FtraceOps.direct("hotfix", FtraceOps.FL_IPMODIFY);
        Ftrace.setFilter(op, "sites.fixture.Direct.price", true);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<String> bad = Collections.synchronizedList(new ArrayList<>());
        AtomicLong calls = new AtomicLong();
        AtomicLong[] byResult = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long s0 = seq.get();
                        int r = (int) price.invokeExact(7);
                        long s1 = seq.get();
                        calls.incrementAndGet();
                        if (r < 0 || r > 2) {
                            bad.add("result " + r);
                            continue;
                        }
                        byResult[r].incrementAndGet();
                        boolean ok = false;
                        for (long k = s0 & ~1L; k <= s1 + 1 && !ok; k += 2) {
                            ok = allowed[(int) (k / 2)] == r;
                        }
                        if (!ok) {
                            bad.add("result " + r + " between changes " + s0 + " and " + s1);
                        }
                    }
                } catch (Throwable e) {
                    bad.add("exception " + e);
                }
            });
            workers.add(t);
            t.start();
        }
        int state = 0; // 0 = unpatched, 1 = A, 2 = B
        for (int i = 1; i <= rounds; i++) {
            int next = i % 4 == 1 ? 1 : i % 4 == 2 ? 2 : i % 4 == 3 ? 0 : 2;
            allowed[i] = next;
            seq.incrementAndGet(); // odd: change i in progress
            if (state == 0) {
                Ftrace.registerFtraceDirect(op, next == 1 ? a : b);
            } else if (next == 0) {
                Ftrace.unregisterFtraceDirect(op);
            } else {
                Ftrace.modifyFtraceDirect(op, next == 1 ? a : b);
            }
            state = next;
            seq.incrementAndGet(); // even: change i done
            if (i % 50 == 0) {
                Thread.sleep(1);
            }
        }
        stop.set(true);
        for (Thread t : workers) {
            t.join();
        }
        if (state != 0) {
            Ftrace.unregisterFtraceDirect(op);
        }
        assertThat(bad).isEmpty();
        assertThat(byResult[0].get() + byResult[1].get() + byResult[2].get()).isEqualTo(calls.get());
        assertThat(byResult[0].get()).isPositive();
        assertThat(byResult[1].get()).isPositive();
        assertThat(byResult[2].get()).isPositive();
        assertThat((int) price.invokeExact(7)).isZero();
    }
}
