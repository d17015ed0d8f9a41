package org.jftrace.agent;

import java.util.Set;
import org.jftrace.ftrace.Ftrace;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodNode;

/**
 * Gives every concrete method of one class its sites, registering each as a function.
 */
final class ClassSites extends ClassVisitor {

    private final ClassLoader loader;
    private final String module;
    private final Set<String> skipMethods;
    private String owner;
    private boolean legacy;
    int methodsWithSites;
    int methodsWithout;

    ClassSites(ClassVisitor cv, ClassLoader loader, String module, Set<String> skipMethods) {
        super(Opcodes.ASM9, cv);
        this.loader = loader;
        this.module = module;
        this.skipMethods = skipMethods;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        this.owner = name;
        this.legacy = (version & 0xFFFF) < Opcodes.V1_7;
        super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
        MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
            return mv;
        }
        if (skipMethods.contains(name + desc)) {
            methodsWithout++;
            return mv;
        }
        boolean hasReceiver = (access & Opcodes.ACC_STATIC) == 0;
        int ip = Ftrace.addFunction(loader, owner, name, desc, hasReceiver, module, legacy);
        methodsWithSites++;
        // Buffered, so the sites know the method's number of returns before they are planted.
        MethodVisitor out = mv;
        return new MethodNode(Opcodes.ASM9, access, name, desc, signature, exceptions) {
            @Override
            public void visitEnd() {
                MethodSites sites = new MethodSites(out, this.access, this.name, this.desc, owner, ip, legacy,
                        returns(instructions));
                accept(sites.withAnalyzer(owner));
            }
        };
    }

    private static int returns(InsnList code) {
        int n = 0;
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            int op = insn.getOpcode();
            if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN) {
                n++;
            }
        }
        return n;
    }
}
