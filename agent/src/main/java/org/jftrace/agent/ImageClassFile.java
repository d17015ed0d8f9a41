package org.jftrace.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The class file of a JDK class as the runtime image holds it, for a retransformation that would
 * otherwise get the class without its stack map frames.
 *
 * <p>HotSpot does not verify the boot loader's classes, and keeps no {@code StackMapTable} for a class
 * it does not verify and parses from the runtime image (JDK 17; the CDS archive's classes keep theirs,
 * and JDK 25 keeps them all). The class file it rebuilds for a retransformation then has no frames:
 * sites planted there would carry frames only where they add code, which the site check rejects (so
 * the methods keep their code, without sites), and which holds only because the JVM does not verify
 * the class. The image's class file is taken instead when its methods hold the same code, which rules
 * out a class another agent has changed.
 */
final class ImageClassFile {

    private ImageClassFile() {
    }

    /**
     * @param module the class's module, where its class file is read from
     * @return the image's class file of the class (internal name) if {@code bytes} has no stack map
     *         frames while the image's has, for the same methods holding the same code; else {@code bytes}
     */
    static byte[] withFrames(Module module, String internalName, byte[] bytes) {
        ClassReader cr = new ClassReader(bytes);
        if (cr.readUnsignedShort(6) < Opcodes.V1_6 || !lacksFrames(cr)) {
            return bytes;
        }
        byte[] image;
        try (InputStream in = module == null ? null : module.getResourceAsStream(internalName + ".class")) {
            if (in == null) {
                return bytes;
            }
            image = in.readAllBytes();
        } catch (IOException e) {
            return bytes;
        }
        ClassReader ir = new ClassReader(image);
        return !lacksFrames(ir) && Code.of(ir).equals(Code.of(cr)) ? image : bytes;
    }

    /** Whether a method that branches or catches has no stack map frame. */
    static boolean lacksFrames(ClassReader cr) {
        boolean[] lacks = {false};
        cr.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                return lacks[0] ? null : new MethodVisitor(Opcodes.ASM9) {
                    boolean frames;
                    boolean branches;

                    @Override
                    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
                        frames = true;
                    }

                    @Override
                    public void visitJumpInsn(int opcode, Label label) {
                        branches = true;
                    }

                    @Override
                    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
                        branches = true;
                    }

                    @Override
                    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
                        branches = true;
                    }

                    @Override
                    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                        branches = true;
                    }

                    @Override
                    public void visitEnd() {
                        lacks[0] |= branches && !frames;
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG);
        return lacks[0];
    }

    /**
     * Each method's name, descriptor, access and instructions, with the operands that survive the JVM's
     * rebuilding of a class file (members, constants, locals), not the constant pool's indices.
     */
    static final class Code extends ClassVisitor {

        private final List<String> methods = new ArrayList<>();

        private Code() {
            super(Opcodes.ASM9);
        }

        static List<String> of(ClassReader cr) {
            Code c = new Code();
            cr.accept(c, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            c.methods.sort(null); // the JVM may write a rebuilt class file's methods in another order
            return c.methods;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
            // the class file's flags only: the JVM keeps no Deprecated attribute, ASM's ACC_DEPRECATED
            StringBuilder sb = new StringBuilder().append(access & 0xFFFF).append(' ').append(name).append(desc).append(':');
            methods.add(null);
            int at = methods.size() - 1;
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitInsn(int opcode) {
                    sb.append(' ').append(opcode);
                }

                @Override
                public void visitIntInsn(int opcode, int operand) {
                    sb.append(' ').append(opcode).append('/').append(operand);
                }

                @Override
                public void visitVarInsn(int opcode, int var) {
                    sb.append(' ').append(opcode).append('/').append(var);
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    sb.append(' ').append(opcode).append('/').append(type);
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String n, String d) {
                    sb.append(' ').append(opcode).append('/').append(owner).append('.').append(n).append(d);
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
                    sb.append(' ').append(opcode).append('/').append(owner).append('.').append(n).append(d);
                }

                @Override
                public void visitInvokeDynamicInsn(String n, String d, Handle bsm, Object... args) {
                    sb.append(" indy/").append(n).append(d);
                }

                @Override
                public void visitJumpInsn(int opcode, Label label) {
                    sb.append(' ').append(opcode);
                }

                @Override
                public void visitLdcInsn(Object value) {
                    sb.append(" ldc/").append(value);
                }

                @Override
                public void visitIincInsn(int var, int increment) {
                    sb.append(" iinc/").append(var).append('/').append(increment);
                }

                @Override
                public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
                    sb.append(" tableswitch/").append(min).append('/').append(max);
                }

                @Override
                public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
                    sb.append(" lookupswitch/").append(keys.length);
                }

                @Override
                public void visitMultiANewArrayInsn(String d, int dims) {
                    sb.append(" multianewarray/").append(d).append('/').append(dims);
                }

                @Override
                public void visitEnd() {
                    methods.set(at, sb.toString());
                }
            };
        }
    }
}
