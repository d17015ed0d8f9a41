package org.jftrace.agent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.BasicVerifier;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Type-checks a method against its own stack map frames, as HotSpot's verifier does for class files of
 * version 51 and later (JVMS 4.10.1), with ASM's {@link BasicVerifier} types (int, float, long, double,
 * reference, top) instead of class types.
 *
 * <p>ASM's {@code Analyzer} infers every frame by data flow and ignores the declared ones, so it
 * accepts code that reads a local which the frame in force says is {@code top} (a chopped frame before
 * a {@code return}, say). The JVM does not: the declared frame replaces the inferred one. Here, as there:
 * <ul>
 *   <li>at a declared frame the frame in force becomes the declared one, after checking that the frame
 *       falling through into it (if any) is assignable to it;</li>
 *   <li>each instruction runs on the frame in force ({@link BasicVerifier}: a load of a {@code top} local
 *       fails);</li>
 *   <li>the frame after a jump or switch is assignable to the declared frame at each target, and the
 *       locals before each instruction in a try range to the handler's frame;</li>
 *   <li>after {@code goto}, a switch, a return or {@code athrow}, the next instruction needs a declared
 *       frame.</li>
 * </ul>
 * Read the class with {@code ClassReader.EXPAND_FRAMES}. Class hierarchies are not checked (every
 * reference is one type), nor uninitialized {@code this}.
 */
final class StackMapCheck {

    private static final BasicVerifier VERIFIER = new BasicVerifier();

    private StackMapCheck() {
    }

    /** Null if the method type-checks against its frames, else why not (with the instruction index). */
    static String check(String owner, MethodNode mn) {
        InsnList code = mn.instructions;
        if (code.size() == 0) {
            return null;
        }
        Map<LabelNode, FrameNode> frameAt = new HashMap<>();
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof FrameNode f) {
                for (AbstractInsnNode p = f.getPrevious(); p instanceof LabelNode || p instanceof LineNumberNode; p = p.getPrevious()) {
                    if (p instanceof LabelNode l) {
                        frameAt.put(l, f);
                    }
                }
            }
        }
        Frame<BasicValue> cur = initial(owner, mn);
        Type returnType = Type.getReturnType(mn.desc);
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            int index = code.indexOf(insn);
            if (insn instanceof FrameNode f) {
                Frame<BasicValue> declared;
                try {
                    declared = declared(f, mn, returnType);
                } catch (IllegalArgumentException e) {
                    return "@" + index + ": " + e.getMessage();
                }
                if (cur != null) {
                    String why = assignable(cur, declared, true);
                    if (why != null) {
                        return "@" + index + ": falls through into a frame it does not match: " + why;
                    }
                }
                cur = declared;
                continue;
            }
            if (insn instanceof LabelNode || insn instanceof LineNumberNode) {
                continue;
            }
            if (cur == null) {
                return "@" + index + ": no stack map frame after an unconditional branch";
            }
            for (TryCatchBlockNode tcb : mn.tryCatchBlocks) {
                if (code.indexOf(tcb.start) <= index && index < code.indexOf(tcb.end)) {
                    FrameNode hf = frameAt.get(tcb.handler);
                    if (hf == null) {
                        return "@" + index + ": exception handler without a stack map frame";
                    }
                    String why;
                    try {
                        why = assignable(cur, declared(hf, mn, returnType), false);
                    } catch (IllegalArgumentException e) {
                        why = e.getMessage();
                    }
                    if (why != null) {
                        return "@" + index + ": locals do not match the handler's frame: " + why;
                    }
                }
            }
            Frame<BasicValue> next = new Frame<>(cur);
            try {
                next.execute(insn, VERIFIER);
            } catch (AnalyzerException | RuntimeException e) {
                return "@" + index + " (opcode " + insn.getOpcode() + "): " + e.getMessage();
            }
            List<LabelNode> targets = targets(insn);
            for (LabelNode target : targets) {
                FrameNode tf = frameAt.get(target);
                if (tf == null) {
                    return "@" + index + ": branch target without a stack map frame";
                }
                String why;
                try {
                    why = assignable(next, declared(tf, mn, returnType), true);
                } catch (IllegalArgumentException e) {
                    why = e.getMessage();
                }
                if (why != null) {
                    return "@" + index + ": frame at branch target does not match: " + why;
                }
            }
            cur = unconditional(insn.getOpcode()) ? null : next;
        }
        return null;
    }

    private static List<LabelNode> targets(AbstractInsnNode insn) {
        if (insn instanceof JumpInsnNode j) {
            return List.of(j.label);
        }
        if (insn instanceof TableSwitchInsnNode t) {
            List<LabelNode> l = new java.util.ArrayList<>(t.labels);
            l.add(t.dflt);
            return l;
        }
        if (insn instanceof LookupSwitchInsnNode t) {
            List<LabelNode> l = new java.util.ArrayList<>(t.labels);
            l.add(t.dflt);
            return l;
        }
        return List.of();
    }

    private static boolean unconditional(int op) {
        return op == Opcodes.GOTO || op == Opcodes.TABLESWITCH || op == Opcodes.LOOKUPSWITCH || op == Opcodes.ATHROW
                || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN);
    }

    /** The frame on entry: the receiver, the parameters, then {@code top}. */
    private static Frame<BasicValue> initial(String owner, MethodNode mn) {
        Frame<BasicValue> f = new Frame<>(mn.maxLocals, mn.maxStack);
        f.setReturn(VERIFIER.newReturnTypeValue(Type.getReturnType(mn.desc)));
        int local = 0;
        if ((mn.access & Opcodes.ACC_STATIC) == 0) {
            f.setLocal(local++, BasicValue.REFERENCE_VALUE);
        }
        for (Type t : Type.getArgumentTypes(mn.desc)) {
            f.setLocal(local++, VERIFIER.newValue(t));
            if (t.getSize() == 2) {
                f.setLocal(local++, BasicValue.UNINITIALIZED_VALUE);
            }
        }
        while (local < mn.maxLocals) {
            f.setLocal(local++, BasicValue.UNINITIALIZED_VALUE);
        }
        return f;
    }

    /** A declared (expanded) frame as a {@link Frame}; {@code top} is {@link BasicValue#UNINITIALIZED_VALUE}. */
    private static Frame<BasicValue> declared(FrameNode fn, MethodNode mn, Type returnType) {
        if (fn.type != Opcodes.F_NEW) {
            throw new IllegalArgumentException("frame not expanded (read the class with EXPAND_FRAMES)");
        }
        Frame<BasicValue> f = new Frame<>(mn.maxLocals, mn.maxStack);
        f.setReturn(VERIFIER.newReturnTypeValue(returnType));
        int local = 0;
        for (Object o : fn.local == null ? List.<Object>of() : fn.local) {
            BasicValue v = value(o);
            if (local >= mn.maxLocals) {
                throw new IllegalArgumentException("frame has more locals than max_locals " + mn.maxLocals);
            }
            f.setLocal(local++, v);
            if (v.getSize() == 2) {
                if (local >= mn.maxLocals) {
                    throw new IllegalArgumentException("frame has more locals than max_locals " + mn.maxLocals);
                }
                f.setLocal(local++, BasicValue.UNINITIALIZED_VALUE);
            }
        }
        while (local < mn.maxLocals) {
            f.setLocal(local++, BasicValue.UNINITIALIZED_VALUE);
        }
        for (Object o : fn.stack == null ? List.<Object>of() : fn.stack) {
            if (f.getStackSize() >= mn.maxStack) {
                throw new IllegalArgumentException("frame has a deeper stack than max_stack " + mn.maxStack);
            }
            f.push(value(o));
        }
        return f;
    }

    private static BasicValue value(Object o) {
        if (o instanceof String || o instanceof LabelNode) {
            return BasicValue.REFERENCE_VALUE; // a class, or an object made by NEW and not yet initialized
        }
        if (o == Opcodes.TOP) {
            return BasicValue.UNINITIALIZED_VALUE;
        }
        if (o == Opcodes.INTEGER) {
            return BasicValue.INT_VALUE;
        }
        if (o == Opcodes.FLOAT) {
            return BasicValue.FLOAT_VALUE;
        }
        if (o == Opcodes.LONG) {
            return BasicValue.LONG_VALUE;
        }
        if (o == Opcodes.DOUBLE) {
            return BasicValue.DOUBLE_VALUE;
        }
        if (o == Opcodes.NULL || o == Opcodes.UNINITIALIZED_THIS) {
            return BasicValue.REFERENCE_VALUE;
        }
        throw new IllegalArgumentException("unknown frame type " + o);
    }

    /** Null if every slot of {@code from} is assignable to the same slot of {@code to}. */
    private static String assignable(Frame<BasicValue> from, Frame<BasicValue> to, boolean withStack) {
        for (int i = 0; i < to.getLocals(); i++) {
            BasicValue d = to.getLocal(i);
            if (d == BasicValue.UNINITIALIZED_VALUE || d.getType() == null) {
                continue;
            }
            BasicValue c = from.getLocal(i);
            if (!fits(c, d)) {
                return "locals[" + i + "] is " + name(c) + ", the frame says " + name(d);
            }
        }
        if (!withStack) {
            return null;
        }
        if (from.getStackSize() != to.getStackSize()) {
            return "stack size " + from.getStackSize() + ", the frame says " + to.getStackSize();
        }
        for (int i = 0; i < to.getStackSize(); i++) {
            if (!fits(from.getStack(i), to.getStack(i))) {
                return "stack[" + i + "] is " + name(from.getStack(i)) + ", the frame says " + name(to.getStack(i));
            }
        }
        return null;
    }

    private static boolean fits(BasicValue c, BasicValue d) {
        return c.equals(d) || (c.isReference() && d.isReference());
    }

    private static String name(BasicValue v) {
        return v == null || v.getType() == null ? "top" : v.toString();
    }
}
