package org.jftrace.agent;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.BasicVerifier;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * The safety net: checks a method with sites before the JVM sees it, so that a class the sites would
 * break loads with its original code instead of failing verification at link time, long after the
 * transformer has returned.
 *
 * <p>ASM's {@link Analyzer} alone is not enough: it infers each instruction's frame by data flow, while
 * the JVM's verifier (class files of version 50 and later) checks every instruction against the stack
 * map frame in force, which may declare a local dead ({@code top}) that data flow still sees holding a
 * value. So a method with stack map frames is checked the way the JVM checks it: in one linear pass,
 * each declared frame replaces the state, the state that falls or jumps into a frame and the locals
 * under an exception handler must be assignable to it, and each instruction must accept the state in
 * force. Older class files, verified by inference, are checked by ASM's {@link Analyzer} with
 * {@link BasicVerifier}, which is the same kind of check.
 *
 * <p>Values are kinds, as {@link BasicVerifier} has them (int, float, long, double, reference,
 * {@code top}), plus uninitialized objects, each {@code new} and the constructor's {@code this} apart.
 * References carry their type's name, but only the sites' own operands are held to it: a receiver or
 * argument a site loads from a local must have exactly the type the site declares (or be null, or the
 * site declare {@code Object}). Elsewhere any reference passes for any other, since deciding
 * assignability would mean loading classes from inside a transformer; the code there is the
 * original's, which the JVM checks as it would without sites, and a value a site passes on (a return
 * value, a throwable) is the one the original code returns or throws there.
 */
final class SiteCheck {

    private SiteCheck() {
    }

    /** @return null if the method type-checks, else why not (one line) */
    static String check(String owner, MethodNode m, boolean legacy) {
        try {
            if (legacy || hasSubroutines(m.instructions)) {
                int maxStack = m.maxStack;
                // The sites' own operands are not in the original maximum; the class writer computes it.
                m.maxStack += Type.getArgumentsAndReturnSizes(m.desc) + 8;
                try {
                    new Analyzer<>(new BasicVerifier()).analyze(owner, m);
                } finally {
                    m.maxStack = maxStack;
                }
                return null;
            }
            return new Linear(owner, m).run();
        } catch (AnalyzerException e) {
            return where(m, e.node) + oneLine(e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return "cannot check: " + oneLine(String.valueOf(e));
        }
    }

    private static boolean hasSubroutines(InsnList code) {
        for (AbstractInsnNode i = code.getFirst(); i != null; i = i.getNext()) {
            if (i.getOpcode() == Opcodes.JSR || i.getOpcode() == Opcodes.RET) {
                return true;
            }
        }
        return false;
    }

    private static String where(MethodNode m, AbstractInsnNode insn) {
        return m.name + m.desc + (insn == null ? "" : " at instruction " + m.instructions.indexOf(insn)) + ": ";
    }

    private static String oneLine(String s) {
        // BasicVerifier prints top as "."
        String t = s.replace('\n', ' ').replace('\r', ' ').replace("but found .", "but found top");
        return t.length() > 300 ? t.substring(0, 300) : t;
    }

    /** An uninitialized object: the constructor's {@code this}, or what one {@code new} made. */
    private static final class Uninit extends BasicValue {
        /** The type it has once initialised. */
        final Type initialized;

        Uninit(Type initialized) {
            super(Type.getObjectType("java/lang/Object"));
            this.initialized = initialized;
        }

        @Override
        public boolean equals(Object o) {
            return o == this;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public String toString() {
            return "uninitialized";
        }
    }

    /** {@link BasicVerifier}, with uninitialized objects allowed only where the JVM allows them. */
    private static final class Kinds extends BasicVerifier {
        final Map<AbstractInsnNode, Uninit> news = new IdentityHashMap<>();
        final Uninit uninitThis;
        private final boolean constructor;

        Kinds(String owner, boolean constructor) {
            super(ASM9);
            this.uninitThis = new Uninit(Type.getObjectType(owner));
            this.constructor = constructor;
        }

        Uninit uninitAt(AbstractInsnNode newInsn) {
            return news.computeIfAbsent(newInsn,
                    k -> new Uninit(Type.getObjectType(((org.objectweb.asm.tree.TypeInsnNode) k).desc)));
        }

        /** A reference keeps its type's name (for the sites' operands); the other kinds are as before. */
        @Override
        public BasicValue newValue(Type type) {
            if (type != null && (type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY)) {
                return new BasicValue(type);
            }
            return super.newValue(type);
        }

        @Override
        public BasicValue newOperation(AbstractInsnNode insn) throws AnalyzerException {
            return insn.getOpcode() == NEW ? uninitAt(insn) : super.newOperation(insn);
        }

        @Override
        public BasicValue unaryOperation(AbstractInsnNode insn, BasicValue v) throws AnalyzerException {
            int op = insn.getOpcode();
            if (v instanceof Uninit && op != IFNULL && op != IFNONNULL) {
                throw new AnalyzerException(insn, "an uninitialized object used before its constructor ran");
            }
            return super.unaryOperation(insn, v);
        }

        @Override
        public BasicValue binaryOperation(AbstractInsnNode insn, BasicValue v1, BasicValue v2) throws AnalyzerException {
            int op = insn.getOpcode();
            boolean ok = op == IF_ACMPEQ || op == IF_ACMPNE;
            // A constructor may set its own fields before it calls super(...).
            if (!ok && (v2 instanceof Uninit || (v1 instanceof Uninit && !(op == PUTFIELD && v1 == uninitThis)))) {
                throw new AnalyzerException(insn, "an uninitialized object used before its constructor ran");
            }
            return super.binaryOperation(insn, v1, v2);
        }

        @Override
        public BasicValue ternaryOperation(AbstractInsnNode insn, BasicValue v1, BasicValue v2, BasicValue v3)
                throws AnalyzerException {
            if (v1 instanceof Uninit || v2 instanceof Uninit || v3 instanceof Uninit) {
                throw new AnalyzerException(insn, "an uninitialized object used before its constructor ran");
            }
            return super.ternaryOperation(insn, v1, v2, v3);
        }

        @Override
        public BasicValue naryOperation(AbstractInsnNode insn, List<? extends BasicValue> values) throws AnalyzerException {
            boolean init = insn instanceof MethodInsnNode && "<init>".equals(((MethodInsnNode) insn).name);
            for (int i = init ? 1 : 0; i < values.size(); i++) {
                if (values.get(i) instanceof Uninit) {
                    throw new AnalyzerException(insn, "an uninitialized object passed before its constructor ran");
                }
            }
            if (insn instanceof org.objectweb.asm.tree.InvokeDynamicInsnNode) {
                siteOperands((org.objectweb.asm.tree.InvokeDynamicInsnNode) insn, values);
            }
            return super.naryOperation(insn, values);
        }

        /**
         * A site's receiver and arguments (an entry site's, and a constructor's exit, which passes its
         * receiver) have exactly the types the site declares: they come from locals, whose types the
         * frame in force gives. Other exits pass on what the original code returns there.
         */
        private void siteOperands(org.objectweb.asm.tree.InvokeDynamicInsnNode insn, List<? extends BasicValue> values)
                throws AnalyzerException {
            int n;
            if (insn.name.equals("jftrace_entry")) {
                n = values.size();
            } else if (insn.name.equals("jftrace_exit") && constructor) {
                n = 1;
            } else {
                return;
            }
            Type[] declared = Type.getArgumentTypes(insn.desc);
            for (int i = 0; i < n; i++) {
                Type want = declared[i];
                if (want.getSort() != Type.OBJECT && want.getSort() != Type.ARRAY) {
                    continue; // a primitive's kind is checked as for any call
                }
                Type have = values.get(i).getType();
                if (!want.getInternalName().equals("java/lang/Object") && !have.equals(want)
                        && !have.getInternalName().equals("null")) {
                    throw new AnalyzerException(insn, "the site's operand " + i + " is a " + have.getInternalName()
                            + " where it declares " + want.getInternalName());
                }
            }
        }

        @Override
        public void returnOperation(AbstractInsnNode insn, BasicValue value, BasicValue expected) throws AnalyzerException {
            if (value instanceof Uninit) {
                throw new AnalyzerException(insn, "an uninitialized object returned");
            }
            super.returnOperation(insn, value, expected);
        }

        /**
         * Any reference passes for any other (see the class comment), and past the checks above an
         * uninitialized object passes where a reference does.
         */
        @Override
        protected boolean isSubTypeOf(BasicValue value, BasicValue expected) {
            return expected.isReference() ? value.isReference() : value.equals(expected);
        }
    }

    /** The JVM's verification by type checking, over kinds, in one pass. */
    private static final class Linear {
        private final String owner;
        private final MethodNode m;
        private final InsnList code;
        private final Kinds kinds;
        private final int maxLocals;
        private final int maxStack;
        /** The frame declared at each label's offset (labels between a frame and its instruction too). */
        private final Map<LabelNode, FrameNode> frameAt = new HashMap<>();
        /** Each declared frame as values, made once: a handler's is compared at every instruction it covers. */
        private final Map<FrameNode, Frame<BasicValue>> declared = new IdentityHashMap<>();
        private final BasicValue returnValue;

        Linear(String owner, MethodNode m) {
            this.owner = owner;
            this.m = m;
            this.code = m.instructions;
            this.kinds = new Kinds(owner, "<init>".equals(m.name));
            this.maxLocals = m.maxLocals;
            // The sites' own operands are not in the original maximum; the class writer computes it.
            this.maxStack = m.maxStack + Type.getArgumentsAndReturnSizes(m.desc) + 8;
            this.returnValue = kinds.newReturnTypeValue(Type.getReturnType(m.desc));
        }

        String run() throws AnalyzerException {
            indexFrames();
            Frame<BasicValue> cur = initial();
            TryCatchBlockNode[] handlers = m.tryCatchBlocks.toArray(new TryCatchBlockNode[0]);
            int[] start = new int[handlers.length];
            int[] end = new int[handlers.length];
            for (int h = 0; h < handlers.length; h++) {
                start[h] = code.indexOf(handlers[h].start);
                end[h] = code.indexOf(handlers[h].end);
                if (frameAt.get(handlers[h].handler) == null) {
                    throw new AnalyzerException(handlers[h].handler, "no stack map frame at an exception handler");
                }
            }
            // Locals change only at a frame or a store: a handler that accepted them once accepts them
            // until then (the JVM checks them at every instruction; the answer is the same).
            boolean[] accepted = new boolean[handlers.length];
            boolean reachable = true;
            int index = -1;
            for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
                index++;
                if (insn instanceof FrameNode) {
                    Frame<BasicValue> declared = declared((FrameNode) insn);
                    if (reachable) {
                        assignable(insn, cur, declared, false);
                    }
                    cur = new Frame<>(declared);
                    java.util.Arrays.fill(accepted, false);
                    reachable = true;
                    continue;
                }
                int op = insn.getOpcode();
                if (op < 0) {
                    continue; // a label or a line number
                }
                if (!reachable) {
                    throw new AnalyzerException(insn, "no stack map frame after an unconditional branch");
                }
                for (int h = 0; h < handlers.length; h++) {
                    if (!accepted[h] && index >= start[h] && index < end[h]) {
                        handlerAccepts(insn, cur, handlers[h]);
                        accepted[h] = true;
                    }
                }
                BasicValue receiver = null;
                if (op == Opcodes.INVOKESPECIAL && "<init>".equals(((MethodInsnNode) insn).name)) {
                    int args = Type.getArgumentTypes(((MethodInsnNode) insn).desc).length;
                    receiver = cur.getStack(cur.getStackSize() - args - 1);
                }
                if (op == Opcodes.RETURN && "<init>".equals(m.name)) {
                    for (int l = 0; l < cur.getLocals(); l++) {
                        if (cur.getLocal(l) == kinds.uninitThis) {
                            throw new AnalyzerException(insn, "a constructor returns before it calls super(...)");
                        }
                    }
                }
                cur.execute(insn, kinds);
                if (receiver instanceof Uninit) {
                    initialize(cur, (Uninit) receiver);
                    java.util.Arrays.fill(accepted, false);
                }
                if (insn instanceof VarInsnNode && op >= Opcodes.ISTORE || op == Opcodes.IINC) {
                    java.util.Arrays.fill(accepted, false);
                    for (int h = 0; h < handlers.length; h++) {
                        if (index >= start[h] && index < end[h]) {
                            handlerAccepts(insn, cur, handlers[h]);
                        }
                    }
                }
                if (insn instanceof JumpInsnNode) {
                    assignable(insn, cur, target(insn, ((JumpInsnNode) insn).label), true);
                } else if (insn instanceof TableSwitchInsnNode) {
                    TableSwitchInsnNode s = (TableSwitchInsnNode) insn;
                    assignable(insn, cur, target(insn, s.dflt), true);
                    for (LabelNode l : s.labels) {
                        assignable(insn, cur, target(insn, l), true);
                    }
                } else if (insn instanceof LookupSwitchInsnNode) {
                    LookupSwitchInsnNode s = (LookupSwitchInsnNode) insn;
                    assignable(insn, cur, target(insn, s.dflt), true);
                    for (LabelNode l : s.labels) {
                        assignable(insn, cur, target(insn, l), true);
                    }
                }
                reachable = !(op == Opcodes.GOTO || op == Opcodes.ATHROW || op == Opcodes.TABLESWITCH
                        || op == Opcodes.LOOKUPSWITCH || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN));
            }
            return null;
        }

        private void indexFrames() {
            List<LabelNode> pending = new java.util.ArrayList<>();
            FrameNode here = null;
            for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
                if (insn instanceof LabelNode) {
                    if (here != null) {
                        frameAt.put((LabelNode) insn, here);
                    } else {
                        pending.add((LabelNode) insn);
                    }
                } else if (insn instanceof FrameNode) {
                    here = (FrameNode) insn;
                    for (LabelNode l : pending) {
                        frameAt.put(l, here);
                    }
                    pending.clear();
                } else if (insn.getOpcode() >= 0) {
                    here = null;
                    pending.clear();
                }
            }
        }

        private Frame<BasicValue> target(AbstractInsnNode from, LabelNode l) throws AnalyzerException {
            FrameNode f = frameAt.get(l);
            if (f == null) {
                throw new AnalyzerException(from, "no stack map frame at a branch target");
            }
            return declared(f);
        }

        private Frame<BasicValue> initial() {
            Frame<BasicValue> f = new Frame<>(maxLocals, maxStack);
            f.setReturn(returnValue);
            int slot = 0;
            boolean ctor = "<init>".equals(m.name);
            if ((m.access & Opcodes.ACC_STATIC) == 0) {
                f.setLocal(slot++, ctor && !"java/lang/Object".equals(owner) ? kinds.uninitThis
                        : kinds.newValue(Type.getObjectType(owner)));
            }
            for (Type t : Type.getArgumentTypes(m.desc)) {
                f.setLocal(slot++, kinds.newValue(t));
                if (t.getSize() == 2) {
                    f.setLocal(slot++, BasicValue.UNINITIALIZED_VALUE);
                }
            }
            while (slot < maxLocals) {
                f.setLocal(slot++, BasicValue.UNINITIALIZED_VALUE);
            }
            return f;
        }

        /** The frame a frame node declares; shared: copy it before executing from it. */
        private Frame<BasicValue> declared(FrameNode fn) throws AnalyzerException {
            Frame<BasicValue> f = declared.get(fn);
            if (f == null) {
                f = toFrame(fn);
                declared.put(fn, f);
            }
            return f;
        }

        private Frame<BasicValue> toFrame(FrameNode fn) throws AnalyzerException {
            if (fn.type != Opcodes.F_NEW) {
                throw new AnalyzerException(fn, "a compressed frame (the check reads expanded frames)");
            }
            Frame<BasicValue> f = new Frame<>(maxLocals, maxStack);
            f.setReturn(returnValue);
            int slot = 0;
            for (Object t : fn.local) {
                BasicValue v = value(fn, t);
                if (slot >= maxLocals || (v.getSize() == 2 && slot + 1 >= maxLocals)) {
                    throw new AnalyzerException(fn, "a frame with more locals than the method has");
                }
                f.setLocal(slot++, v);
                if (v.getSize() == 2) {
                    f.setLocal(slot++, BasicValue.UNINITIALIZED_VALUE);
                }
            }
            while (slot < maxLocals) {
                f.setLocal(slot++, BasicValue.UNINITIALIZED_VALUE);
            }
            if (fn.stack != null) {
                for (Object t : fn.stack) {
                    f.push(value(fn, t));
                }
            }
            return f;
        }

        private BasicValue value(FrameNode fn, Object t) throws AnalyzerException {
            if (t instanceof String) {
                return kinds.newValue(Type.getObjectType((String) t));
            }
            if (t instanceof LabelNode) {
                AbstractInsnNode n = (LabelNode) t;
                while (n != null && n.getOpcode() < 0) {
                    n = n.getNext();
                }
                if (n == null || n.getOpcode() != Opcodes.NEW) {
                    throw new AnalyzerException(fn, "a frame's uninitialized type names no new instruction");
                }
                return kinds.uninitAt(n);
            }
            if (t == Opcodes.TOP) {
                return BasicValue.UNINITIALIZED_VALUE;
            } else if (t == Opcodes.INTEGER) {
                return BasicValue.INT_VALUE;
            } else if (t == Opcodes.FLOAT) {
                return BasicValue.FLOAT_VALUE;
            } else if (t == Opcodes.LONG) {
                return BasicValue.LONG_VALUE;
            } else if (t == Opcodes.DOUBLE) {
                return BasicValue.DOUBLE_VALUE;
            } else if (t == Opcodes.NULL) {
                return kinds.newValue(Type.getObjectType("null"));
            } else if (t == Opcodes.UNINITIALIZED_THIS) {
                return kinds.uninitThis;
            }
            throw new AnalyzerException(fn, "an unknown frame type " + t);
        }

        /** Whether {@code have} may flow into the frame {@code want} (stack included, or locals only). */
        private void assignable(AbstractInsnNode at, Frame<BasicValue> have, Frame<BasicValue> want, boolean branch)
                throws AnalyzerException {
            for (int l = 0; l < maxLocals; l++) {
                if (!fits(have.getLocal(l), want.getLocal(l))) {
                    throw new AnalyzerException(at, (branch ? "branch into" : "fall into") + " a frame whose local "
                            + l + " is " + want.getLocal(l) + " with " + describe(have.getLocal(l)));
                }
            }
            if (have.getStackSize() != want.getStackSize()) {
                throw new AnalyzerException(at, (branch ? "branch into" : "fall into") + " a frame with "
                        + want.getStackSize() + " stack values with " + have.getStackSize());
            }
            for (int s = 0; s < have.getStackSize(); s++) {
                if (!fits(have.getStack(s), want.getStack(s))) {
                    throw new AnalyzerException(at, "stack value " + s + " is " + describe(have.getStack(s))
                            + " where the frame says " + want.getStack(s));
                }
            }
        }

        private void handlerAccepts(AbstractInsnNode at, Frame<BasicValue> have, TryCatchBlockNode h)
                throws AnalyzerException {
            Frame<BasicValue> want = declared(frameAt.get(h.handler));
            for (int l = 0; l < maxLocals; l++) {
                if (!fits(have.getLocal(l), want.getLocal(l))) {
                    throw new AnalyzerException(at, "the exception handler's frame says local " + l + " is "
                            + want.getLocal(l) + " where it is " + describe(have.getLocal(l)));
                }
            }
            if (want.getStackSize() != 1 || !want.getStack(0).isReference()) {
                throw new AnalyzerException(at, "an exception handler's frame without the exception alone on its stack");
            }
        }

        private static boolean fits(BasicValue have, BasicValue want) {
            if (want == BasicValue.UNINITIALIZED_VALUE) {
                return true; // top accepts anything
            }
            if (want instanceof Uninit || have instanceof Uninit) {
                return have == want;
            }
            if (want.isReference()) {
                return have.isReference(); // see the class comment: reference types are not compared here
            }
            return want.equals(have);
        }

        private static String describe(BasicValue v) {
            return v == BasicValue.UNINITIALIZED_VALUE ? "top" : String.valueOf(v);
        }

        /** After a constructor call: every copy of the object it initialised is an initialised reference. */
        private void initialize(Frame<BasicValue> f, Uninit obj) {
            BasicValue done = kinds.newValue(obj.initialized);
            for (int l = 0; l < f.getLocals(); l++) {
                if (f.getLocal(l) == obj) {
                    f.setLocal(l, done);
                }
            }
            for (int s = 0; s < f.getStackSize(); s++) {
                if (f.getStack(s) == obj) {
                    f.setStack(s, done);
                }
            }
        }
    }
}
