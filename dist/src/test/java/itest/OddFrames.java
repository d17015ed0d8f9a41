package itest;

import java.nio.file.Files;
import java.nio.file.Path;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Writes classes whose stack map frames javac never emits but shrinkers, shaders and other compilers
 * do: a frame that chops every local before a constructor's {@code return}, a constructor whose
 * arguments are dead after {@code super(...)}, a constructor that reuses local 0, dead {@code top}
 * locals at a throw, and a frame at the method's first instruction. Each is valid: the JVM links and
 * runs it without jftrace.
 */
public final class OddFrames implements Opcodes {

    private OddFrames() {
    }

    public static void write(Path dir) throws Exception {
        write(dir, "itest/odd/ChoppedCtor", choppedCtor());
        write(dir, "itest/odd/Chopped", chopped());
        write(dir, "itest/odd/DeadArgs", deadArgs());
        write(dir, "itest/odd/ReusedThis", reusedThis());
        write(dir, "itest/odd/ManySupers", manySupers());
        // Cut short: neither ASM nor the JVM can parse it.
        write(dir, "itest/odd/Broken", java.util.Arrays.copyOf(reusedThis(), 40));
    }

    private static void write(Path dir, String name, byte[] b) throws Exception {
        Path f = dir.resolve(name + ".class");
        Files.createDirectories(f.getParent());
        Files.write(f, b);
    }

    /**
     * {@code ChoppedCtor(Object a, Iterable it) { super(); if (it != null) kept = a; }}, with a frame
     * that declares every local dead before the {@code return}.
     */
    static byte[] choppedCtor() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V1_8, ACC_PUBLIC | ACC_SUPER, "itest/odd/ChoppedCtor", null, "java/lang/Object", null);
        cw.visitField(ACC_PUBLIC, "kept", "Ljava/lang/Object;", null, null).visitEnd();
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "<init>", "(Ljava/lang/Object;Ljava/lang/Iterable;)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        Label end = new Label();
        mv.visitVarInsn(ALOAD, 2);
        mv.visitJumpInsn(IFNULL, end);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ALOAD, 1);
        mv.visitFieldInsn(PUTFIELD, "itest/odd/ChoppedCtor", "kept", "Ljava/lang/Object;");
        mv.visitLabel(end);
        mv.visitFrame(F_NEW, 3, new Object[] {TOP, TOP, TOP}, 0, new Object[0]);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * {@code static int length(String s)}, two returns, the second after a frame with {@code s} dead;
     * {@code static void fail(String s)}, which throws after a frame with every local dead; and
     * {@code static int countdown(int n)}, whose loop starts at its first instruction.
     */
    static byte[] chopped() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V1_8, ACC_PUBLIC | ACC_SUPER, "itest/odd/Chopped", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "length", "(Ljava/lang/String;)I", null, null);
        mv.visitCode();
        Label none = new Label();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitJumpInsn(IFNULL, none);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/String", "length", "()I", false);
        mv.visitInsn(IRETURN);
        mv.visitLabel(none);
        mv.visitFrame(F_NEW, 1, new Object[] {TOP}, 0, new Object[0]);
        mv.visitInsn(ICONST_M1);
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "fail", "(Ljava/lang/String;)V", null, null);
        mv.visitCode();
        Label thrower = new Label();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/String", "length", "()I", false);
        mv.visitVarInsn(ISTORE, 1);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitJumpInsn(IFGE, thrower);
        mv.visitLabel(thrower);
        mv.visitFrame(F_NEW, 2, new Object[] {TOP, TOP}, 0, new Object[0]);
        mv.visitTypeInsn(NEW, "java/lang/IllegalStateException");
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "()V", false);
        mv.visitInsn(ATHROW);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "countdown", "(I)I", null, null);
        mv.visitCode();
        Label loop = new Label();
        Label done = new Label();
        mv.visitLabel(loop);
        mv.visitFrame(F_NEW, 1, new Object[] {INTEGER}, 0, new Object[0]);
        mv.visitVarInsn(ILOAD, 0);
        mv.visitJumpInsn(IFLE, done);
        mv.visitIincInsn(0, -1);
        mv.visitJumpInsn(GOTO, loop);
        mv.visitLabel(done);
        mv.visitFrame(F_NEW, 1, new Object[] {INTEGER}, 0, new Object[0]);
        mv.visitVarInsn(ILOAD, 0);
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * {@code DeadArgs(boolean b, String m) { super(b ? m : "none"); }}, whose frame before the call
     * drops both arguments: they are dead where a constructor's entry site goes.
     */
    static byte[] deadArgs() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V1_8, ACC_PUBLIC | ACC_SUPER, "itest/odd/DeadArgs", null, "java/lang/Exception", null);
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "<init>", "(ZLjava/lang/String;)V", null, null);
        mv.visitCode();
        Label otherwise = new Label();
        Label call = new Label();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitJumpInsn(IFEQ, otherwise);
        mv.visitVarInsn(ALOAD, 2);
        mv.visitJumpInsn(GOTO, call);
        mv.visitLabel(otherwise);
        mv.visitFrame(F_NEW, 3, new Object[] {UNINITIALIZED_THIS, INTEGER, "java/lang/String"}, 1,
                new Object[] {UNINITIALIZED_THIS});
        mv.visitLdcInsn("none");
        mv.visitLabel(call);
        mv.visitFrame(F_NEW, 1, new Object[] {UNINITIALIZED_THIS}, 2, new Object[] {UNINITIALIZED_THIS, "java/lang/String"});
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Exception", "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * {@code ManySupers(int which, String m)}: {@code super(m)} on one path and {@code super()} on the
     * other, both joining before the {@code return}, as groovyc writes constructors that pick their
     * super constructor at run time.
     */
    static byte[] manySupers() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V1_8, ACC_PUBLIC | ACC_SUPER, "itest/odd/ManySupers", null, "java/lang/Exception", null);
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "<init>", "(ILjava/lang/String;)V", null, null);
        mv.visitCode();
        Label other = new Label();
        Label done = new Label();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitJumpInsn(IFEQ, other);
        mv.visitVarInsn(ALOAD, 2);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Exception", "<init>", "(Ljava/lang/String;)V", false);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(other);
        mv.visitFrame(F_NEW, 3, new Object[] {UNINITIALIZED_THIS, INTEGER, "java/lang/String"}, 1,
                new Object[] {UNINITIALIZED_THIS});
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Exception", "<init>", "()V", false);
        mv.visitLabel(done);
        mv.visitFrame(F_NEW, 3, new Object[] {"itest/odd/ManySupers", INTEGER, "java/lang/String"}, 0, new Object[0]);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** {@code ReusedThis() { super(); Object o = "other"; }} with {@code o} in local 0. */
    static byte[] reusedThis() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V1_8, ACC_PUBLIC | ACC_SUPER, "itest/odd/ReusedThis", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitLdcInsn("other");
        mv.visitVarInsn(ASTORE, 0);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
