package org.jftrace.agent;

import java.util.Set;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.NotraceList;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodNode;

/**
 * Gives every concrete method of one class its sites, registering each as a function.
 */
final class ClassSites extends ClassVisitor {

    private final ClassLoader loader;
    private final String module;
    private final Set<String> skipMethods;
    private final boolean check;
    private final Object classKey;
    private final boolean jdk;
    private String owner;
    private boolean legacy;
    int methodsWithSites;
    int methodsWithout;
    /** The JDK's intrinsic candidates left without sites (see {@link NotraceList#INTRINSIC}). */
    int intrinsics;
    /** Methods kept unchanged because their code with sites failed the {@link SiteCheck}: name+desc: why. */
    final java.util.List<String> failedCheck = new java.util.ArrayList<>();

    /** @param check whether each method's code with sites goes through the {@link SiteCheck} first */
    ClassSites(ClassVisitor cv, ClassLoader loader, String module, Set<String> skipMethods, boolean check) {
        this(cv, loader, module, skipMethods, check, null);
    }

    /** @param classKey the agent's handle on the class, for planting it again (see {@code Ftrace.addFunction}) */
    ClassSites(ClassVisitor cv, ClassLoader loader, String module, Set<String> skipMethods, boolean check, Object classKey) {
        this(cv, loader, module, skipMethods, check, classKey, false);
    }

    /** @param jdk a JDK class: static sites behind the key (see {@code JdkSites}), intrinsics left alone */
    ClassSites(ClassVisitor cv, ClassLoader loader, String module, Set<String> skipMethods, boolean check, Object classKey,
               boolean jdk) {
        super(Opcodes.ASM9, cv);
        this.jdk = jdk;
        this.classKey = classKey;
        this.loader = loader;
        this.module = module;
        this.skipMethods = skipMethods;
        this.check = check;
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
        // Buffered, so the sites know the method's number of returns (and its annotations) before
        // they are planted.
        MethodVisitor out = mv;
        return new MethodNode(Opcodes.ASM9, access, name, desc, signature, exceptions) {
            @Override
            public void visitEnd() {
                if (jdk && intrinsic(visibleAnnotations, invisibleAnnotations)) {
                    accept(out); // unchanged, and not a function: see NotraceList.INTRINSIC
                    methodsWithout++;
                    intrinsics++;
                    return;
                }
                // A JDK function's sites are static calls, as an old class file's (DynFtrace.legacy).
                int ip = Ftrace.addFunction(loader, owner, this.name, this.desc, hasReceiver, module, legacy,
                        classKey, true, jdk && !legacy);
                String names = ParameterNames.of(this);
                if (names != null) {
                    Ftrace.setParameterNames(ip, names);
                }
                MethodNode withSites = check ? new MethodNode(Opcodes.ASM9, this.access, this.name, this.desc,
                        this.signature, this.exceptions.toArray(new String[0])) : null;
                MethodSites sites = new MethodSites(check ? withSites : out, this.access, this.name, this.desc, owner,
                        ip, legacy, jdk, returns(instructions), codeSize(instructions) >= KEY_MIN_SIZE,
                        "<init>".equals(this.name) && severalSuperCalls(instructions), legacy || Ftrace.entryArgs(ip));
                if (jdk && !legacy) {
                    sites.jdkKey(Ftrace.jdkKeySlot(ip));
                }
                accept(sites.withAnalyzer(owner));
                if (!check) {
                    methodsWithSites++;
                    return;
                }
                String why = SiteCheck.check(owner, withSites, legacy);
                if (why == null) {
                    withSites.accept(out);
                    methodsWithSites++;
                } else {
                    accept(out); // the original code, which the JVM verifies as it would without us
                    methodsWithout++;
                    failedCheck.add(why);
                }
            }
        };
    }

    /** Whether a method carries the JDK's intrinsic-candidate annotation (JDK 16+, and its older name). */
    static boolean intrinsic(java.util.List<AnnotationNode> visible, java.util.List<AnnotationNode> invisible) {
        return hasIntrinsic(visible) || hasIntrinsic(invisible);
    }

    private static boolean hasIntrinsic(java.util.List<AnnotationNode> as) {
        if (as != null) {
            for (AnnotationNode a : as) {
                if (a.desc.equals("Ljdk/internal/vm/annotation/IntrinsicCandidate;")
                        || a.desc.equals("Ljdk/internal/HotSpotIntrinsicCandidate;")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Methods of fewer bytecode bytes get no static key (see MethodSites): with the plain sites (24
     * bytes for most methods) they stay within MaxInlineSize (35), so C2 and C1 still inline them at
     * warm call sites; the key's 8 bytes would push nearly all of them over it (92% of guava's methods
     * of 35 bytes or less, against 38% without keys, docs/benchmarks.md, disabled sites). Bigger methods are
     * over that limit with or without the key, and for them the key only saves inlining budget.
     */
    static final int KEY_MIN_SIZE = Integer.getInteger("jftrace.keyMinSize", 12);

    /**
     * The method's bytecode size, as the JVM's code_length, near enough for small methods: short forms
     * of loads and stores are taken for locals 0-3, and constants for ldc.
     */
    static int codeSize(InsnList code) {
        int n = 0;
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            int op = insn.getOpcode();
            switch (insn.getType()) {
                case AbstractInsnNode.INSN: n += 1; break;
                case AbstractInsnNode.INT_INSN: n += op == Opcodes.SIPUSH ? 3 : 2; break;
                case AbstractInsnNode.VAR_INSN: n += ((org.objectweb.asm.tree.VarInsnNode) insn).var < 4 ? 1 : 2; break;
                case AbstractInsnNode.TYPE_INSN:
                case AbstractInsnNode.FIELD_INSN:
                case AbstractInsnNode.JUMP_INSN:
                case AbstractInsnNode.IINC_INSN: n += 3; break;
                case AbstractInsnNode.METHOD_INSN: n += op == Opcodes.INVOKEINTERFACE ? 5 : 3; break;
                case AbstractInsnNode.INVOKE_DYNAMIC_INSN: n += 5; break;
                case AbstractInsnNode.LDC_INSN: {
                    Object v = ((org.objectweb.asm.tree.LdcInsnNode) insn).cst;
                    n += v instanceof Long || v instanceof Double ? 3 : 2;
                    break;
                }
                case AbstractInsnNode.TABLESWITCH_INSN:
                case AbstractInsnNode.LOOKUPSWITCH_INSN: n += 16; break;
                case AbstractInsnNode.MULTIANEWARRAY_INSN: n += 4; break;
                default: break; // labels, line numbers, frames: no bytes
            }
        }
        return n;
    }

    /**
     * Whether a constructor calls {@code super(...)} or {@code this(...)} more than once in its code
     * (on different paths): more constructor calls than the objects it creates, plus one.
     */
    static boolean severalSuperCalls(InsnList code) {
        int calls = 0;
        int news = 0;
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() == Opcodes.NEW) {
                news++;
            } else if (insn.getOpcode() == Opcodes.INVOKESPECIAL
                    && "<init>".equals(((org.objectweb.asm.tree.MethodInsnNode) insn).name)) {
                calls++;
            }
        }
        return calls > news + 1;
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
