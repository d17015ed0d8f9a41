package org.jftrace.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MethodSitesTest {

    static Class<?> shapes;
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final List<FtraceOps> registered = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        // Planted with their arguments at the entry: no agent here to plant them again when an ops
        // that takes arguments (or a direct call) binds them.
        Ftrace.setAllEntryArgs(true);
        try {
            shapes = new Instrumented("sites.fixture.Shapes").loadClass("sites.fixture.Shapes");
        } finally {
            Ftrace.setAllEntryArgs(false);
        }
    }

    @AfterEach
    void unregister() {
        for (FtraceOps op : registered) {
            Ftrace.unregisterFtraceFunction(op);
        }
    }

    static String name(long ip) {
        String n = Ftrace.records().name((int) ip);
        return n.substring("sites.fixture.Shapes.".length(), n.indexOf('('));
    }

    FtraceOps recorder(String opName, int flags, String filter) {
        FtraceOps op = new FtraceOps(opName, flags,
                (ip, parent, o, regs) -> events.add(opName + "> " + name(ip)
                        + (parent != 0 ? " <-" + name(parent) : "")
                        + (regs.argCount() >= 0 ? " args=" + argsOf(regs) : "")),
                (ip, parent, o, regs) -> events.add(opName + "< " + name(ip)
                        + (regs.thrown() != null ? " threw " + regs.thrown().getClass().getSimpleName()
                        : regs.retObject() != null ? " = " + regs.retObject() : " = " + regs.retval())));
        Ftrace.setFilter(op, filter, true);
        Ftrace.registerFtraceFunction(op);
        registered.add(op);
        return op;
    }

    static String argsOf(org.jftrace.ftrace.Regs regs) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < regs.argCount(); i++) {
            Object a = regs.arg(i);
            sb.append(i == 0 ? "" : ",").append(a instanceof int[] ? "int[" + ((int[]) a).length + "]" : a instanceof Object[] ? "Object[" + ((Object[]) a).length + "]" : String.valueOf(a));
        }
        return sb.append(']').toString();
    }

    static MethodHandle h(String name, Class<?> ret, Class<?>... params) throws Exception {
        return MethodHandles.publicLookup().findStatic(shapes, name, MethodType.methodType(ret, params));
    }

    @Test
    void untracedFunctionsCallNothing() throws Throwable {
        assertThat((int) h("fib", int.class, int.class).invoke(10)).isEqualTo(55);
        assertThat(events).isEmpty();
    }

    @Test
    void entryAndExitPairWithReturnValuesOfEveryKind() throws Throwable {
        recorder("t", 0, "sites.fixture.Shapes.twice sites.fixture.Shapes.half sites.fixture.Shapes.third "
                + "sites.fixture.Shapes.isEven sites.fixture.Shapes.nothing");
        assertThat((long) h("twice", long.class, long.class).invoke(21L)).isEqualTo(42L);
        assertThat((double) h("half", double.class, double.class).invoke(3.0)).isEqualTo(1.5);
        assertThat((float) h("third", float.class, float.class).invoke(3.0f)).isEqualTo(1.0f);
        assertThat((boolean) h("isEven", boolean.class, int.class).invoke(4)).isTrue();
        h("nothing", void.class).invoke();
        assertThat(events).containsExactly(
                "t> twice", "t< twice = 42",
                "t> half", "t< half = " + Double.doubleToRawLongBits(1.5),
                "t> third", "t< third = " + Float.floatToRawIntBits(1.0f),
                "t> isEven", "t< isEven = 1",
                "t> nothing", "t< nothing = 0");
    }

    @Test
    void everyReturnOfAMethodWithSeveralReturnsExitsWithItsOwnValue() throws Throwable {
        recorder("t", 0, "sites.fixture.Shapes.grade sites.fixture.Shapes.clampS sites.fixture.Shapes.signB "
                + "sites.fixture.Shapes.pick* sites.fixture.Shapes.lockedEarly sites.fixture.Shapes.voidEarly");
        MethodHandle grade = h("grade", char.class, int.class);
        assertThat((char) grade.invoke(95)).isEqualTo('A');
        assertThat((char) grade.invoke(60)).isEqualTo('B');
        assertThat((char) grade.invoke(1)).isEqualTo('C');
        assertThat((short) h("clampS", short.class, int.class).invoke(40000)).isEqualTo(Short.MAX_VALUE);
        assertThat((byte) h("signB", byte.class, int.class).invoke(-7)).isEqualTo((byte) -1);
        assertThat((long) h("pickJ", long.class, int.class).invoke(-1)).isEqualTo(Long.MIN_VALUE);
        assertThat((long) h("pickJ", long.class, int.class).invoke(5)).isEqualTo(15L);
        assertThat((double) h("pickD", double.class, int.class).invoke(-1)).isEqualTo(-0.5);
        assertThat((float) h("pickF", float.class, int.class).invoke(4)).isEqualTo(0.5f);
        assertThat((int[]) h("pickArray", int[].class, int.class).invoke(-1)).isNull();
        assertThat((int[]) h("pickArray", int[].class, int.class).invoke(2)).hasSize(2);
        MethodHandle pickString = h("pickString", String.class, int.class);
        assertThat((String) pickString.invoke(0)).isEqualTo("zero");
        assertThat((String) pickString.invoke(7)).isEqualTo("many");
        MethodHandle locked = h("lockedEarly", int.class, int.class);
        assertThat((int) locked.invoke(3)).isEqualTo(3);
        assertThat((int) locked.invoke(-3)).isEqualTo(3);
        int[] out = {-1};
        MethodHandle voidEarly = h("voidEarly", void.class, int[].class, int.class);
        voidEarly.invoke(out, -2);
        voidEarly.invoke(out, 9);
        assertThat(out[0]).isEqualTo(9);
        assertThat(events.stream().map(e -> e.replaceAll("\\[I@\\p{XDigit}+", "int[]")))
                .containsExactly(
                "t> grade", "t< grade = " + (long) 'A', "t> grade", "t< grade = " + (long) 'B',
                "t> grade", "t< grade = " + (long) 'C',
                "t> clampS", "t< clampS = " + Short.MAX_VALUE,
                "t> signB", "t< signB = -1",
                "t> pickJ", "t< pickJ = " + Long.MIN_VALUE, "t> pickJ", "t< pickJ = 15",
                "t> pickD", "t< pickD = " + Double.doubleToRawLongBits(-0.5),
                "t> pickF", "t< pickF = " + Float.floatToRawIntBits(0.5f),
                "t> pickArray", "t< pickArray = 0", "t> pickArray", "t< pickArray = int[]",
                "t> pickString", "t< pickString = zero", "t> pickString", "t< pickString = many",
                "t> lockedEarly", "t< lockedEarly = 3", "t> lockedEarly", "t< lockedEarly = 3",
                "t> voidEarly", "t< voidEarly = 0", "t> voidEarly", "t< voidEarly = 0");
    }

    /**
     * {@code static int pick(int v)}: two returns, each over a leftover value below the result (as
     * Kotlin's coroutine state machines return): {@code iconst_1; iload_0; ifle L; bipush 7; ireturn;
     * L: bipush 9; ireturn}.
     */
    static byte[] leftoverStackClass() {
        org.objectweb.asm.ClassWriter cw = new org.objectweb.asm.ClassWriter(org.objectweb.asm.ClassWriter.COMPUTE_FRAMES);
        cw.visit(org.objectweb.asm.Opcodes.V17, org.objectweb.asm.Opcodes.ACC_PUBLIC, "sites/fixture/Leftover", null,
                "java/lang/Object", null);
        org.objectweb.asm.MethodVisitor mv = cw.visitMethod(org.objectweb.asm.Opcodes.ACC_PUBLIC
                | org.objectweb.asm.Opcodes.ACC_STATIC, "pick", "(I)I", null, null);
        mv.visitCode();
        org.objectweb.asm.Label low = new org.objectweb.asm.Label();
        mv.visitInsn(org.objectweb.asm.Opcodes.ICONST_1);
        mv.visitVarInsn(org.objectweb.asm.Opcodes.ILOAD, 0);
        mv.visitJumpInsn(org.objectweb.asm.Opcodes.IFLE, low);
        mv.visitIntInsn(org.objectweb.asm.Opcodes.BIPUSH, 7);
        mv.visitInsn(org.objectweb.asm.Opcodes.IRETURN);
        mv.visitLabel(low);
        mv.visitIntInsn(org.objectweb.asm.Opcodes.BIPUSH, 9);
        mv.visitInsn(org.objectweb.asm.Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** Defines {@code original} with sites, in a loader of its own; HotSpot's verifier runs as it links. */
    static Class<?> defineTransformed(String className, byte[] original) throws ClassNotFoundException {
        ClassLoader loader = new ClassLoader(MethodSitesTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (!name.equals(className)) {
                    throw new ClassNotFoundException(name);
                }
                byte[] b = Instrumented.transform(original, this);
                return defineClass(name, b, 0, b.length);
            }
        };
        return loader.loadClass(className);
    }

    @Test
    void returnsOverLeftoverStackValuesKeepTheirOwnExitsAndTheClassVerifies() throws Throwable {
        Class<?> leftover = defineTransformed("sites.fixture.Leftover", leftoverStackClass());
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        FtraceOps op = new FtraceOps("leftover", 0, (ip, parent, o, regs) -> seen.add("> " + ip),
                (ip, parent, o, regs) -> seen.add("< " + regs.retval()));
        Ftrace.setFilter(op, "sites.fixture.Leftover.pick", true);
        Ftrace.registerFtraceFunction(op);
        registered.add(op);
        MethodHandle pick = MethodHandles.publicLookup().findStatic(leftover, "pick",
                MethodType.methodType(int.class, int.class));
        assertThat((int) pick.invoke(1)).isEqualTo(7); // the HotSpot verifier ran when the class linked
        assertThat((int) pick.invoke(0)).isEqualTo(9);
        int ip = Ftrace.records().size(); // the newest function
        assertThat(Ftrace.records().name(ip)).isEqualTo("sites.fixture.Leftover.pick(I)I");
        assertThat(seen).containsExactly("> " + ip, "< 7", "> " + ip, "< 9");
    }

    @Test
    void parentIsTheNearestTracedCaller() throws Throwable {
        recorder("t", 0, "sites.fixture.Shapes.fib");
        assertThat((int) h("fib", int.class, int.class).invoke(2)).isEqualTo(1);
        assertThat(events).containsExactly("t> fib", "t> fib <-fib", "t< fib = 1", "t> fib <-fib", "t< fib = 0", "t< fib = 1");
    }

    @Test
    void recursionFlagKeepsACallbackFromTracingTheCodeItCallsAndOtherOpsStillSeeIt() throws Throwable {
        MethodHandle twice = h("twice", long.class, long.class);
        MethodHandle nothing = h("nothing", void.class);
        // "outer" calls nothing() from its own callback on twice(); "guarded" (RECURSION) traces nothing()
        // too, but must not see the call made from inside a callback; "open" (no RECURSION) must.
        FtraceOps outer = new FtraceOps("outer", FtraceOps.FL_RECURSION, (ip, parent, o, regs) -> {
            events.add("outer> " + name(ip));
            try {
                nothing.invokeExact();
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        });
        Ftrace.setFilter(outer, "sites.fixture.Shapes.twice", true);
        Ftrace.registerFtraceFunction(outer);
        registered.add(outer);
        recorder("guarded", FtraceOps.FL_RECURSION, "sites.fixture.Shapes.nothing");
        assertThat((long) twice.invoke(1L)).isEqualTo(2L);
        assertThat(events).containsExactly("outer> twice");
        events.clear();
        nothing.invoke();
        assertThat(events).containsExactly("guarded> nothing", "guarded< nothing = 0");
        events.clear();
        recorder("open", 0, "sites.fixture.Shapes.nothing");
        assertThat((long) twice.invoke(1L)).isEqualTo(2L);
        assertThat(events).containsExactly("outer> twice", "open> nothing <-twice", "open< nothing = 0");
    }

    @Test
    void exceptionalExitIsReportedAndCaughtExceptionsAreNot() throws Throwable {
        recorder("t", 0, "sites.fixture.Shapes.thrower sites.fixture.Shapes.catcher");
        assertThat((int) h("catcher", int.class, int.class).invoke(5)).isEqualTo(-1);
        assertThat(events).containsExactly("t> catcher", "t> thrower <-catcher", "t< thrower threw IllegalStateException",
                "t< catcher = " + (-1L));
        events.clear();
        assertThatThrownBy(() -> h("thrower", int.class, int.class).invoke(1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("boom 1");
        assertThat(events).containsExactly("t> thrower", "t< thrower threw IllegalStateException");
    }

    @Test
    void saveRegsGivesArgumentsAndReceiver() throws Throwable {
        recorder("r", FtraceOps.FL_SAVE_REGS, "sites.fixture.Shapes.describe sites.fixture.Shapes.<init>");
        Object s = shapes.getConstructor(int.class).newInstance(-7);
        MethodHandle d = MethodHandles.publicLookup().findVirtual(shapes, "describe",
                MethodType.methodType(String.class, String.class, int[].class, Object[].class));
        assertThat((String) d.invoke(s, "p", new int[3], new Object[] {"a", "b"})).isEqualTo("p32");
        assertThat(events).hasSize(4);
        assertThat(events.get(0)).isEqualTo("r> <init> args=[-7]");
        assertThat(events.get(1)).startsWith("r< <init> = sites.fixture.Shapes@");
        assertThat(events.get(2)).isEqualTo("r> describe args=[p,int[3],Object[2]]");
        assertThat(events.get(3)).isEqualTo("r< describe = p32");
    }

    @Test
    void opsWithoutSaveRegsSeeNoArguments() throws Throwable {
        recorder("n", 0, "sites.fixture.Shapes.twice");
        h("twice", long.class, long.class).invoke(1L);
        assertThat(events).containsExactly("n> twice", "n< twice = 2");
    }

    @Test
    void twoOpsOnOneFunctionBothRunThroughTheListFunc() throws Throwable {
        recorder("a", 0, "sites.fixture.Shapes.early");
        recorder("b", 0, "sites.fixture.Shapes.early sites.fixture.Shapes.loop");
        assertThat(Ftrace.enabledFunctions()).contains("sites.fixture.Shapes.early(I)I (2)")
                .contains("ftrace_ops_list_func {a, b}")
                .containsPattern("sites.fixture.Shapes.loop\\(I\\)I \\(1\\)\\s+O\\s+\tops: b");
        h("early", int.class, int.class).invoke(-3);
        h("loop", int.class, int.class).invoke(4);
        assertThat(events).containsExactly("a> early", "b> early", "a< early = -1", "b< early = -1", "b> loop", "b< loop = 3");
    }

    @Test
    void notraceWinsOverFilter() throws Throwable {
        FtraceOps op = recorder("t", 0, "sites.fixture.Shapes.*");
        Ftrace.setNotrace(op, "*fib* *loop*", true);
        h("fib", int.class, int.class).invoke(3);
        h("early", int.class, int.class).invoke(0);
        assertThat(events).containsExactly("t> early", "t< early = 0");
    }

    @Test
    void unregisteredOpsIsNeverCalledAgain() throws Throwable {
        FtraceOps op = recorder("t", 0, "sites.fixture.Shapes.early");
        h("early", int.class, int.class).invoke(1);
        Ftrace.unregisterFtraceFunction(op);
        registered.remove(op);
        h("early", int.class, int.class).invoke(1);
        assertThat(events).containsExactly("t> early", "t< early = 1");
        assertThat(Ftrace.enabledFunctions()).doesNotContain("sites.fixture.Shapes.early");
    }

    @Test
    void constructorWithAHandlerAfterSuperGetsSitesAndPairs() throws Throwable {
        recorder("c", 0, "sites.fixture.Shapes.<init>");
        Object ok = shapes.getConstructor(String.class).newInstance("12");
        Object bad = shapes.getConstructor(String.class).newInstance("x");
        assertThat(shapes.getField("base").getInt(ok)).isEqualTo(12);
        assertThat(shapes.getField("base").getInt(bad)).isEqualTo(-1);
        assertThat(events).hasSize(4);
        assertThat(events.get(0)).isEqualTo("c> <init>");
        assertThat(events.get(1)).startsWith("c< <init> = sites.fixture.Shapes@");
        assertThat(events.get(2)).isEqualTo("c> <init>");
        assertThat(events.get(3)).startsWith("c< <init> = sites.fixture.Shapes@");
    }

    /**
     * {@code sites.fixture.KeyFrames}: {@code static int countDown(int n)} whose first instruction is a
     * loop header, so the method's own stack map frame sits where the static key's skip label lands;
     * and a constructor {@code <init>(I)V} that keeps a local set before its {@code super()} (as JDK 25's
     * flexible constructor bodies may), which the key's frame after {@code super()} must describe.
     */
    static byte[] keyFramesClass() {
        org.objectweb.asm.ClassWriter cw = new org.objectweb.asm.ClassWriter(org.objectweb.asm.ClassWriter.COMPUTE_FRAMES);
        cw.visit(org.objectweb.asm.Opcodes.V17, org.objectweb.asm.Opcodes.ACC_PUBLIC, "sites/fixture/KeyFrames", null,
                "java/lang/Object", null);
        cw.visitField(org.objectweb.asm.Opcodes.ACC_PUBLIC, "v", "I", null, null).visitEnd();
        org.objectweb.asm.MethodVisitor mv = cw.visitMethod(org.objectweb.asm.Opcodes.ACC_PUBLIC
                | org.objectweb.asm.Opcodes.ACC_STATIC, "countDown", "(I)I", null, null);
        mv.visitCode();
        org.objectweb.asm.Label head = new org.objectweb.asm.Label();
        org.objectweb.asm.Label end = new org.objectweb.asm.Label();
        mv.visitLabel(head);
        mv.visitVarInsn(org.objectweb.asm.Opcodes.ILOAD, 0);
        mv.visitJumpInsn(org.objectweb.asm.Opcodes.IFLE, end);
        mv.visitIincInsn(0, -1);
        mv.visitJumpInsn(org.objectweb.asm.Opcodes.GOTO, head);
        mv.visitLabel(end);
        mv.visitIntInsn(org.objectweb.asm.Opcodes.BIPUSH, 7);
        mv.visitInsn(org.objectweb.asm.Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        mv = cw.visitMethod(org.objectweb.asm.Opcodes.ACC_PUBLIC, "<init>", "(I)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(org.objectweb.asm.Opcodes.ILOAD, 1);
        mv.visitInsn(org.objectweb.asm.Opcodes.ICONST_1);
        mv.visitInsn(org.objectweb.asm.Opcodes.IADD);
        mv.visitVarInsn(org.objectweb.asm.Opcodes.ISTORE, 2);
        mv.visitVarInsn(org.objectweb.asm.Opcodes.ALOAD, 0);
        mv.visitMethodInsn(org.objectweb.asm.Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitVarInsn(org.objectweb.asm.Opcodes.ALOAD, 0);
        mv.visitVarInsn(org.objectweb.asm.Opcodes.ILOAD, 2);
        mv.visitFieldInsn(org.objectweb.asm.Opcodes.PUTFIELD, "sites/fixture/KeyFrames", "v", "I");
        mv.visitInsn(org.objectweb.asm.Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    @Test
    void theStaticKeyBranchVerifiesAtALoopHeadAndAfterSuperAndTracesWhenOn() throws Throwable {
        Class<?> c = defineTransformed("sites.fixture.KeyFrames", keyFramesClass());
        MethodHandle countDown = MethodHandles.publicLookup().findStatic(c, "countDown",
                MethodType.methodType(int.class, int.class));
        // Key off: the entries are skipped, and the code still runs as before (the verifier ran when
        // the class linked).
        assertThat((int) countDown.invoke(3)).isEqualTo(7);
        assertThat(c.getField("v").getInt(c.getConstructor(int.class).newInstance(4))).isEqualTo(5);

        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        FtraceOps op = new FtraceOps("keyframes", 0,
                (ip, parent, o, regs) -> seen.add("> " + Ftrace.records().name((int) ip)),
                (ip, parent, o, regs) -> seen.add("< " + regs.retval()));
        Ftrace.setFilter(op, "sites.fixture.KeyFrames.*", true);
        Ftrace.registerFtraceFunction(op);
        registered.add(op);
        assertThat((int) countDown.invoke(2)).isEqualTo(7);
        assertThat(c.getField("v").getInt(c.getConstructor(int.class).newInstance(1))).isEqualTo(2);
        assertThat(seen).hasSize(4);
        assertThat(seen.get(0)).isEqualTo("> sites.fixture.KeyFrames.countDown(I)I");
        assertThat(seen.get(1)).isEqualTo("< 7");
        assertThat(seen.get(2)).isEqualTo("> sites.fixture.KeyFrames.<init>(I)V");

        Ftrace.unregisterFtraceFunction(op);
        registered.remove(op);
        assertThat((int) countDown.invoke(1)).isEqualTo(7);
        assertThat(seen).hasSize(4);
    }
}
