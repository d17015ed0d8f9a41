package org.jftrace.agent;

import org.jftrace.ftrace.Ftrace;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Registers a class's functions without planting their sites: the methods {@link ClassSites} would
 * give sites to, read from the class file's method table alone (no code is parsed, nothing is
 * written). A tenth or less of what planting costs, so that every function is listed and can be
 * filtered while only the classes a filter selects pay for sites.
 */
final class FunctionScan extends ClassVisitor {

    private final ClassLoader loader;
    private final String module;
    private final ClassKey key;
    private boolean legacy;

    private FunctionScan(ClassLoader loader, String module, ClassKey key) {
        super(Opcodes.ASM9);
        this.loader = loader;
        this.module = module;
        this.key = key;
    }

    static void scan(byte[] bytes, ClassLoader loader, String module, ClassKey key) {
        new ClassReader(bytes).accept(new FunctionScan(loader, module, key),
                ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        legacy = (version & 0xFFFF) < Opcodes.V1_7;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0) {
            Ftrace.addFunction(loader, key.internalName, name, desc, (access & Opcodes.ACC_STATIC) == 0, module, legacy, key, false);
        }
        return null;
    }
}
