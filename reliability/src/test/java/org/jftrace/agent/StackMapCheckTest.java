package org.jftrace.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.BasicVerifier;

/**
 * {@link StackMapCheck} rejects what HotSpot's verifier rejects and ASM's Analyzer accepts: a load of a
 * local that the frame in force has dropped (the shape of the exit sites that failed in Armeria), and a
 * jump to a frame that the jumping frame does not match; it accepts the same methods without the fault.
 */
class StackMapCheckTest {

    /**
     * {@code static void m(Object o)}: a jump to a frame with no locals, then (if {@code readDropped})
     * {@code aload_0}: local 0 is top there.
     */
    static byte[] chopped(boolean readDropped) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "fixture/Chopped", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "m", "(Ljava/lang/Object;)V", null, null);
        mv.visitCode();
        Label end = new Label();
        mv.visitJumpInsn(Opcodes.GOTO, end);
        mv.visitLabel(end);
        mv.visitFrame(Opcodes.F_NEW, 0, new Object[0], 0, new Object[0]);
        if (readDropped) {
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitInsn(Opcodes.POP);
        }
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** {@code static int m(int x)}: jumps with an int on the stack to a frame that declares an empty stack. */
    static byte[] inconsistentAtTarget() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "fixture/Inconsistent", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "m", "(I)I", null, null);
        mv.visitCode();
        Label target = new Label();
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitVarInsn(Opcodes.ILOAD, 0);
        mv.visitJumpInsn(Opcodes.IFEQ, target);
        mv.visitInsn(Opcodes.POP);
        mv.visitInsn(Opcodes.ICONST_2);
        mv.visitLabel(target);
        mv.visitFrame(Opcodes.F_NEW, 1, new Object[] {Opcodes.INTEGER}, 0, new Object[0]);
        mv.visitInsn(Opcodes.ICONST_3);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    static MethodNode method(byte[] b) {
        ClassNode cn = new ClassNode();
        new ClassReader(b).accept(cn, ClassReader.EXPAND_FRAMES);
        return cn.methods.stream().filter(m -> m.name.equals("m")).findFirst().orElseThrow();
    }

    static Class<?> link(String name, byte[] b) throws Exception {
        ClassLoader l = new ClassLoader(StackMapCheckTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String n) throws ClassNotFoundException {
                if (!n.equals(name)) {
                    throw new ClassNotFoundException(n);
                }
                return defineClass(n, b, 0, b.length);
            }
        };
        Class<?> c = Class.forName(name, false, l);
        c.getDeclaredMethods(); // links, so verifies: the loader is a user-defined one
        return c;
    }

    @Test
    void aLoadOfALocalTheFrameInForceDroppedFailsTheCheckAndTheJvmButPassesTheAnalyzer() throws Exception {
        byte[] bad = chopped(true);
        MethodNode m = method(bad);
        assertThat(StackMapCheck.check("fixture/Chopped", m)).contains("@").containsIgnoringCase("object reference");
        new Analyzer<BasicValue>(new BasicVerifier()).analyze("fixture/Chopped", m); // does not throw
        assertThatThrownBy(() -> link("fixture.Chopped", bad)).isInstanceOf(VerifyError.class)
                .hasMessageContaining("Bad local variable type");
    }

    @Test
    void theSameMethodWithoutTheLoadPassesTheCheckAndTheJvm() throws Exception {
        byte[] good = chopped(false);
        assertThat(StackMapCheck.check("fixture/Chopped", method(good))).isNull();
        assertThat(link("fixture.Chopped", good)).isNotNull();
    }

    @Test
    void aJumpWhoseStackDoesNotMatchTheTargetFrameFailsTheCheckAndTheJvm() {
        byte[] bad = inconsistentAtTarget();
        assertThat(StackMapCheck.check("fixture/Inconsistent", method(bad))).contains("branch target");
        assertThatThrownBy(() -> link("fixture.Inconsistent", bad)).isInstanceOf(VerifyError.class);
    }
}
