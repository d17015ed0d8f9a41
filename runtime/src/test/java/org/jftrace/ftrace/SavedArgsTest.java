package org.jftrace.ftrace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * FL_SAVE_REGS through real entry sites (the bootstrap the agent's invokedynamic links to): the
 * arguments reach the callbacks typed, from the call's own frame, and are held until its exit.
 */
class SavedArgsTest {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private final List<FtraceOps> registered = new ArrayList<>();

    @AfterEach
    void unregister() {
        for (FtraceOps op : registered) {
            Ftrace.unregisterFtraceFunction(op);
        }
    }

    /** A function's entry site, of the type the agent plants for it: the receiver (if any), then the arguments. */
    private static MethodHandle entry(String cls, String method, String desc, boolean receiver) {
        int ip = Ftrace.addFunction(SavedArgsTest.class.getClassLoader(), cls.replace('.', '/'), method, desc, receiver,
                "savedargs-test", false);
        MethodType t = MethodType.fromMethodDescriptorString(desc, SavedArgsTest.class.getClassLoader()).changeReturnType(Object.class);
        if (receiver) {
            t = t.insertParameterTypes(0, Object.class);
        }
        return Trampoline.site(LOOKUP, "jftrace_entry", t, ip).dynamicInvoker();
    }

    private FtraceOps register(String filter, int flags, FtraceFunc func, FtraceRetFunc retfunc) {
        FtraceOps op = new FtraceOps("savedargs-" + registered.size(), flags, func, retfunc);
        Ftrace.setFilter(op, filter, true);
        Ftrace.registerFtraceFunction(op);
        registered.add(op);
        return op;
    }

    /** Every argument as the typed accessors and the boxing one see it: {@code kind:bits/object/boxed}. */
    static String typed(Regs regs) {
        StringBuilder sb = new StringBuilder("n=" + regs.argCount());
        for (int i = 0; i < regs.argCount(); i++) {
            sb.append(' ').append(regs.argType(i)).append(':').append(Long.toHexString(regs.argBits(i)))
                    .append('/').append(regs.argObject(i)).append('/').append(regs.arg(i));
        }
        return sb.toString();
    }

    @Test
    void everyKindReachesTheCallbackAsItsRawBitsOrItsReferencePastTheSixthArgument() throws Throwable {
        MethodHandle e = entry("savedargs.Kinds", "all",
                "(ZBCSIJFDLjava/lang/String;Ljava/lang/Object;[I)V", false);
        List<String> seen = new ArrayList<>();
        register("savedargs.Kinds.*", FtraceOps.FL_SAVE_REGS, (ip, parentIp, op, regs) -> seen.add(typed(regs)), null);
        Object token = e.invoke(true, (byte) -2, '\u00e9', (short) -300, Integer.MIN_VALUE, Long.MIN_VALUE, -0.0f,
                Double.longBitsToDouble(0x7ff8_0000_0000_0001L), "s", null, null);
        Exits.exitV(token);
        assertThat(seen).containsExactly("n=11 Z:1/null/true B:fffffffffffffffe/null/-2 C:e9/null/\u00e9"
                + " S:fffffffffffffed4/null/-300 I:ffffffff80000000/null/-2147483648"
                + " J:8000000000000000/null/-9223372036854775808 F:ffffffff80000000/null/-0.0"
                + " D:7ff8000000000001/null/NaN L:0/s/s L:0/null/null L:0/null/null");
    }

    @Test
    void anInstanceMethodsReceiverIsNotAnArgumentAndAnIndexPastTheLastIsRefused() throws Throwable {
        MethodHandle e = entry("savedargs.Recv", "m", "(J)V", true);
        Object self = new Object();
        List<Object> seen = new ArrayList<>();
        register("savedargs.Recv.*", FtraceOps.FL_SAVE_REGS, (ip, parentIp, op, regs) -> {
            seen.add(regs.receiver());
            seen.add(typed(regs));
            assertThatThrownBy(() -> regs.argBits(1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> regs.argObject(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        }, null);
        Exits.exitV(e.invoke(self, 5L));
        assertThat(seen).containsExactly(self, "n=1 J:5/null/5");
    }

    @Test
    void inAListEveryOpsSeesTheArgumentsAndTheReturnCallbacksStillReadThemAfterANestedCall() throws Throwable {
        MethodHandle outer = entry("savedargs.List", "outer", "(ILjava/lang/String;D)V", false);
        MethodHandle inner = entry("savedargs.List", "inner", "(Ljava/lang/Object;J)V", false);
        List<String> seen = new ArrayList<>();
        register("savedargs.List.*", FtraceOps.FL_SAVE_REGS,
                (ip, parentIp, op, regs) -> seen.add("regs entry " + typed(regs)),
                (ip, parentIp, op, regs) -> seen.add("regs exit " + typed(regs)));
        register("savedargs.List.*", 0, (ip, parentIp, op, regs) -> seen.add("plain entry " + typed(regs)), null);
        Object t = outer.invoke(7, "x", 2.5);
        Object i = inner.invoke((Object) null, -1L); // the body calls a traced function: the next frame's slots
        Exits.exitV(i);
        Exits.exitV(t);
        assertThat(seen).containsExactly(
                "regs entry n=3 I:7/null/7 L:0/x/x D:4004000000000000/null/2.5",
                "plain entry n=3 I:7/null/7 L:0/x/x D:4004000000000000/null/2.5",
                "regs entry n=2 L:0/null/null J:ffffffffffffffff/null/-1",
                "plain entry n=2 L:0/null/null J:ffffffffffffffff/null/-1",
                "regs exit n=2 L:0/null/null J:ffffffffffffffff/null/-1",
                "regs exit n=3 I:7/null/7 L:0/x/x D:4004000000000000/null/2.5");
    }

    @Test
    void aTracedCallMadeByACallbackDoesNotOverwriteTheArgumentsTheCallbackIsReading() throws Throwable {
        MethodHandle[] e = {entry("savedargs.Rec", "f", "(ILjava/lang/String;)V", false)};
        List<String> seen = new ArrayList<>();
        register("savedargs.Rec.*", FtraceOps.FL_SAVE_REGS, (ip, parentIp, op, regs) -> {
            seen.add("before " + typed(regs));
            if (regs.argBits(0) == 1) {
                try {
                    Exits.exitV(e[0].invoke(2, "inner")); // from the callback: a nested activation, one frame deeper
                } catch (Throwable t) {
                    throw new AssertionError(t);
                }
            }
            seen.add("after " + typed(regs));
        }, null);
        Exits.exitV(e[0].invoke(1, "outer"));
        assertThat(seen).containsExactly(
                "before n=2 I:1/null/1 L:0/outer/outer",
                "before n=2 I:2/null/2 L:0/inner/inner",
                "after n=2 I:2/null/2 L:0/inner/inner",
                "after n=2 I:1/null/1 L:0/outer/outer");
    }

    @Test
    void noFrameKeepsAnArgumentReachableAfterItsCallWhetherTracedOrRefused() throws Throwable {
        MethodHandle[] e = {entry("savedargs.Drop", "f", "(Ljava/lang/Object;)V", false)};
        List<WeakReference<Object>> refs = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        // FL_RECURSION: the call its callback makes is refused after its slots were written
        register("savedargs.Drop.*", FtraceOps.FL_SAVE_REGS | FtraceOps.FL_RECURSION, (ip, parentIp, op, regs) -> {
            seen.add(String.valueOf(regs.depth()));
            try {
                Object refused = new Object();
                refs.add(new WeakReference<>(refused));
                Object token = e[0].invoke(refused);
                assertThat(token).as("the nested call is not traced").isNull();
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }, null);
        Object traced = new Object();
        refs.add(new WeakReference<>(traced));
        Exits.exitV(e[0].invoke(traced));
        traced = null;
        assertThat(seen).hasSize(1);
        for (int i = 0; i < 50 && refs.stream().anyMatch(r -> r.get() != null); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(refs).allMatch(r -> r.get() == null, "collected");
    }

    @Test
    void aConstructorsReceiverAndABareEntrysNothingReachTheCallback() throws Throwable {
        MethodHandle ctor = entry("savedargs.Ctor", "<init>", "(D)V", true);
        // a bare entry: planted before anything took the arguments, so its site passes none
        int ip = Ftrace.addFunction(SavedArgsTest.class.getClassLoader(), "savedargs/Ctor", "bare", "(J)V", true,
                "savedargs-test", false);
        MethodHandle bare = Trampoline.site(LOOKUP, "jftrace_entry", MethodType.methodType(Object.class), ip).dynamicInvoker();
        List<Object> seen = new ArrayList<>();
        register("savedargs.Ctor.*", FtraceOps.FL_SAVE_REGS, (i, parentIp, op, regs) -> {
            seen.add(regs.receiver());
            seen.add(typed(regs));
        }, null);
        Object self = new StringBuilder("constructed");
        Exits.exitV(ctor.invoke(self, -2.0));
        Exits.exitV(bare.invoke());
        assertThat(seen).containsExactly(self, "n=1 D:c000000000000000/null/-2.0", null, "n=0");
    }

    @Test
    void aVirtualThreadGetsItsOwnFramesAndItsOwnArguments() throws Throwable {
        java.lang.reflect.Method start;
        try {
            start = Thread.class.getMethod("startVirtualThread", Runnable.class);
        } catch (NoSuchMethodException e) {
            org.junit.jupiter.api.Assumptions.abort("no virtual threads on " + Runtime.version());
            return;
        }
        MethodHandle e = entry("savedargs.Virtual", "f", "(ILjava/lang/String;)V", false);
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        register("savedargs.Virtual.*", FtraceOps.FL_SAVE_REGS,
                (ip, parentIp, op, regs) -> seen.add(regs.thread().isDaemon() + " " + typed(regs)), null);
        Object outer = e.invoke(1, "platform"); // a call in flight here while the virtual thread makes its own
        Thread v = (Thread) start.invoke(null, (Runnable) () -> {
            try {
                Exits.exitV(e.invoke(2, "virtual"));
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        });
        v.join();
        Exits.exitV(outer);
        assertThat(seen).containsExactly("false n=2 I:1/null/1 L:0/platform/platform",
                "true n=2 I:2/null/2 L:0/virtual/virtual"); // virtual threads are daemons
    }

    @Test
    void theBoxedPathsUnboxIntoTheSameTypedSlots() throws Throwable {
        int ip = Ftrace.addFunction(SavedArgsTest.class.getClassLoader(), "savedargs/Legacy", "f", "(CF[[JLjava/lang/String;)V",
                true, "savedargs-test", true);
        List<Object> seen = new ArrayList<>();
        register("savedargs.Legacy.*", FtraceOps.FL_SAVE_REGS, (i, parentIp, op, regs) -> {
            seen.add(regs.receiver());
            seen.add(typed(regs));
        }, null);
        Object self = "self";
        Exits.exitV(LegacySites.entry(ip, new Object[] {self, 'q', 1.5f, null, "s"}));
        Exits.exitV(LegacySites.entry(ip, new Object[0])); // a bare entry: no receiver, no arguments
        assertThat(seen).containsExactly(self, "n=4 C:71/null/q F:3fc00000/null/1.5 L:0/null/null L:0/s/s", null, "n=0");
    }

    // A hot entry: the site's handle is a constant, as an invokedynamic's target is.
    private static final MethodHandle HOT = entry("savedargs.Hot", "f", "(ILjava/lang/String;Ljava/lang/Object;JDZCF)V", false);
    private static long sum;

    private static void hotCalls(int n, String s, Object o) throws Throwable {
        for (int i = 0; i < n; i++) {
            Exits.exitV((Object) HOT.invokeExact(i, s, o, (long) i, 0.5 * i, (i & 1) == 0, 'c', 1.0f));
        }
    }

    @Test
    void aHotEntryWithSavedArgumentsAllocatesNothing() throws Throwable {
        register("savedargs.Hot.*", FtraceOps.FL_SAVE_REGS, (ip, parentIp, op, regs) -> {
            long h = regs.argCount();
            for (int i = 0; i < regs.argCount(); i++) {
                h += regs.argType(i) == 'L' ? System.identityHashCode(regs.argObject(i)) : regs.argBits(i);
            }
            sum += h;
        }, null);
        String s = "order-42";
        Object o = new Object();
        for (int i = 0; i < 30; i++) {
            hotCalls(100_000, s, o); // warm up: the loop and its site get compiled
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        long sum0 = sum;
        hotCalls(1_000_000, s, o);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum).isNotEqualTo(sum0);
        // boxed, the eight arguments were an Object[8] and five boxes: over 100 bytes a call
        assertThat(allocated).as("bytes allocated by 1,000,000 calls with 8 saved arguments").isLessThan(1_000_000);
    }
}
