package org.jftrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The site check agrees with the JVM's verifier: on hand-written methods, valid ones that javac never
 * writes and invalid ones of each kind it must catch, it doubts exactly those the JVM rejects.
 */
class SiteCheckTest implements Opcodes {

    /** One class {@code check/C} (a subclass of Object) with one method written by {@code body}. */
    static byte[] classWith(String name, String desc, int access, Consumer<MethodVisitor> body) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V1_8, ACC_PUBLIC | ACC_SUPER, "check/C", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(access, name, desc, null, null);
        mv.visitCode();
        body.accept(mv);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** Whether the JVM links the class: a user-defined loader's classes are always verified. */
    static boolean jvmAccepts(byte[] b) {
        ClassLoader l = new ClassLoader(SiteCheckTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String n) throws ClassNotFoundException {
                if (!n.equals("check.C")) {
                    throw new ClassNotFoundException(n);
                }
                return defineClass(n, b, 0, b.length);
            }
        };
        try {
            Class.forName("check.C", false, l).getDeclaredMethods();
            return true;
        } catch (VerifyError e) {
            return false;
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    static String check(byte[] b) {
        ClassNode cn = new ClassNode();
        new ClassReader(b).accept(cn, ClassReader.EXPAND_FRAMES);
        for (MethodNode m : cn.methods) {
            String why = SiteCheck.check(cn.name, m, false);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    static void agree(byte[] b, boolean valid, String reason) {
        assertThat(jvmAccepts(b)).as("the JVM links it").isEqualTo(valid);
        String why = check(b);
        if (valid) {
            assertThat(why).isNull();
        } else {
            assertThat(why).isNotNull().contains(reason);
        }
    }

    @Test
    void aFrameThatChopsEveryLocalBeforeTheReturnIsValid() {
        agree(classWith("f", "(Ljava/lang/String;)I", ACC_PUBLIC | ACC_STATIC, mv -> {
            Label none = new Label();
            mv.visitVarInsn(ALOAD, 0);
            mv.visitJumpInsn(IFNULL, none);
            mv.visitInsn(ICONST_1);
            mv.visitInsn(IRETURN);
            mv.visitLabel(none);
            mv.visitFrame(F_NEW, 1, new Object[] {TOP}, 0, new Object[0]);
            mv.visitInsn(ICONST_0);
            mv.visitInsn(IRETURN);
        }), true, null);
    }

    @Test
    void aLoadOfALocalTheFrameInForceDeclaresDeadIsDoubted() {
        // Data flow still sees the argument in local 0; the frame says top, and that is what the JVM checks.
        agree(classWith("f", "(Ljava/lang/String;)Ljava/lang/Object;", ACC_PUBLIC | ACC_STATIC, mv -> {
            Label l = new Label();
            mv.visitJumpInsn(GOTO, l);
            mv.visitLabel(l);
            mv.visitFrame(F_NEW, 1, new Object[] {TOP}, 0, new Object[0]);
            mv.visitVarInsn(ALOAD, 0);
            mv.visitInsn(ARETURN);
        }), false, "but found top");
    }

    @Test
    void aBranchWithAnotherStackDepthThanItsTargetIsDoubted() {
        agree(classWith("f", "(I)I", ACC_PUBLIC | ACC_STATIC, mv -> {
            Label l = new Label();
            mv.visitInsn(ICONST_5);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitJumpInsn(IFEQ, l);
            mv.visitInsn(ICONST_1);
            mv.visitInsn(IADD);
            mv.visitLabel(l);
            mv.visitFrame(F_NEW, 1, new Object[] {INTEGER}, 0, new Object[0]);
            mv.visitInsn(ICONST_0);
            mv.visitInsn(IRETURN);
        }), false, "stack values");
    }

    @Test
    void anUninitializedObjectPassedToAMethodIsDoubted() {
        agree(classWith("f", "()Ljava/lang/String;", ACC_PUBLIC | ACC_STATIC, mv -> {
            mv.visitTypeInsn(NEW, "java/lang/Object");
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/String", "valueOf", "(Ljava/lang/Object;)Ljava/lang/String;", false);
            mv.visitInsn(ARETURN);
        }), false, "uninitialized");
    }

    @Test
    void aBranchTargetWithoutAFrameIsDoubted() {
        agree(classWith("f", "(I)I", ACC_PUBLIC | ACC_STATIC, mv -> {
            Label l = new Label();
            mv.visitVarInsn(ILOAD, 0);
            mv.visitJumpInsn(IFEQ, l);
            mv.visitInsn(ICONST_1);
            mv.visitInsn(IRETURN);
            mv.visitLabel(l); // no frame
            mv.visitInsn(ICONST_0);
            mv.visitInsn(IRETURN);
        }), false, "no stack map frame");
    }

    @Test
    void aConstructorThatReturnsBeforeSuperIsDoubted() {
        agree(classWith("<init>", "()V", ACC_PUBLIC, mv -> mv.visitInsn(RETURN)), false, "before it calls super");
    }

    @Test
    void aConstructorThatSetsItsFieldBeforeSuperAndInitializesNewObjectsIsValid() {
        byte[] b;
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V1_8, ACC_PUBLIC | ACC_SUPER, "check/C", null, "java/lang/Object", null);
        cw.visitField(ACC_PRIVATE | ACC_FINAL, "x", "Ljava/lang/Object;", null, null).visitEnd();
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitTypeInsn(NEW, "java/lang/Object");
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitFieldInsn(PUTFIELD, "check/C", "x", "Ljava/lang/Object;");
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        b = cw.toByteArray();
        agree(b, true, null);
    }

    @Test
    void aMethodWhoseSitesFailTheCheckKeepsItsOriginalCodeAndIsListed() {
        // Invalid before any site is planted: whatever the sites do, the check must doubt it.
        byte[] original = classWith("f", "(Ljava/lang/String;)Ljava/lang/Object;", ACC_PUBLIC | ACC_STATIC, mv -> {
            Label l = new Label();
            mv.visitJumpInsn(GOTO, l);
            mv.visitLabel(l);
            mv.visitFrame(F_NEW, 1, new Object[] {TOP}, 0, new Object[0]);
            mv.visitVarInsn(ALOAD, 0);
            mv.visitInsn(ARETURN);
        });
        ClassReader cr = new ClassReader(original);
        ClassWriter cw = new ClassWriter(cr, ClassWriter.COMPUTE_MAXS);
        ClassSites sites = new ClassSites(cw, getClass().getClassLoader(), "fixture", Set.of(), true);
        cr.accept(sites, ClassReader.EXPAND_FRAMES);
        assertThat(sites.failedCheck).singleElement().asString().startsWith("f(Ljava/lang/String;)Ljava/lang/Object;");
        assertThat(sites.methodsWithout).isEqualTo(1);
        assertThat(opcodes(cw.toByteArray())).isEqualTo(opcodes(original));

        ClassWriter unchecked = new ClassWriter(cr, ClassWriter.COMPUTE_MAXS);
        cr.accept(new ClassSites(unchecked, getClass().getClassLoader(), "fixture", Set.of(), false), ClassReader.EXPAND_FRAMES);
        assertThat(opcodes(unchecked.toByteArray())).as("without the check it gets sites").isNotEqualTo(opcodes(original));
    }

    static String opcodes(byte[] b) {
        ClassNode cn = new ClassNode();
        new ClassReader(b).accept(cn, 0);
        StringBuilder sb = new StringBuilder();
        for (MethodNode m : cn.methods) {
            sb.append(m.name).append(':');
            for (AbstractInsnNode i : m.instructions) {
                if (i.getOpcode() >= 0) {
                    sb.append(i.getOpcode()).append(' ');
                }
            }
        }
        return sb.toString();
    }

    @Test
    void everyKindOfValueInAFrameRoundTrips() {
        // long and double take two slots; null and an array type are references
        agree(classWith("f", "(JDLjava/lang/Object;[I)J", ACC_PUBLIC | ACC_STATIC, mv -> {
            Label l = new Label();
            mv.visitInsn(ACONST_NULL);
            mv.visitVarInsn(ASTORE, 4);
            mv.visitVarInsn(LLOAD, 0);
            mv.visitInsn(L2I);
            mv.visitJumpInsn(IFEQ, l);
            mv.visitLabel(l);
            mv.visitFrame(F_NEW, 4, new Object[] {LONG, DOUBLE, NULL, "[I"}, 0, new Object[0]);
            mv.visitVarInsn(ALOAD, 5);
            mv.visitInsn(ARRAYLENGTH);
            mv.visitInsn(I2L);
            mv.visitVarInsn(LLOAD, 0);
            mv.visitInsn(LADD);
            mv.visitInsn(LRETURN);
        }), true, null);
    }
}
