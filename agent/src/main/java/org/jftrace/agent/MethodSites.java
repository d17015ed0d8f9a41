package org.jftrace.agent;

import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.AdviceAdapter;
import org.objectweb.asm.commons.AnalyzerAdapter;

/**
 * Plants one method's patchable sites: the JVM's {@code -fpatchable-function-entry}.
 *
 * <pre>
 *   entry:   invokedynamic jftrace_entry()Object  astore token
 *   or:      [receiver] args...  invokedynamic jftrace_entry(..)Object  astore token
 *   return:  dup[2]  aload token  invokedynamic jftrace_exit(R, Object)V   xreturn
 *   handler: (catch-all over the body) dup  aload token  invokedynamic jftrace_throw(Throwable, Object)V  athrow
 * </pre>
 *
 * <p><b>Static key.</b> A method of 12 bytecode bytes or more first asks its package's key (see
 * {@code StaticKey}) whether anything in the package is traced, and skips the entry site if not:
 * <pre>
 *   aconst_null  astore token  invokedynamic jftrace_key()Z  ifeq skip  [entry as above]  skip:
 * </pre>
 * 10 bytes (8 where the token is set to null anyway), in exchange for C2 never parsing the entry's
 * guard while the package is untraced: about 280 bytes of LambdaForms counted against the caller's
 * inlining budget at every inlined method. Smaller methods keep the plain shape, which keeps most of
 * them within MaxInlineSize (see {@code ClassSites.KEY_MIN_SIZE}).
 *
 * <p><b>Size.</b> Every byte counts twice against the JIT: a method's bytecode size decides whether
 * HotSpot inlines it (35 bytes for a warm callee, 325 for a hot one). A method with two or more
 * returns therefore gets one shared exit: each {@code xreturn} becomes {@code goto exit}, and
 * <pre>
 *   exit:    [frame: value]  dup[2]  aload token  invokedynamic jftrace_exit(R, Object)V  xreturn
 * </pre>
 * (3 bytes per return instead of 8 or 9; over jackson-core, the largest addition fell from 316 to 119
 * bytes and the methods pushed over 325 from 38 to 24, see docs/benchmarks.md).
 *
 * <p><b>Live patching.</b> For methods other than constructors the token starts as null
 * ({@code aconst_null; astore token}), the catch-all handler covers the entry site too, and it ends
 * in the site instead of an {@code athrow}:
 * <pre>
 *   handler: aload token  invokedynamic jftrace_throw(Throwable, Object)R  xreturn
 * </pre>
 * The site's target runs the exit callbacks and rethrows the throwable itself, except for the signal
 * a live-patched entry throws to skip the body (a call site cannot return from its caller): for that
 * one it returns the replacement value, which the {@code xreturn} returns. Compared with the plain
 * shape ({@code dup; aload; invokedynamic; athrow}) this adds 1 to 2 bytes per method (the token's
 * initialisation, less the {@code dup}), and nothing at run time while nothing patches the method:
 * C2 inlines the entry's no-op target, which cannot throw. A check of the token after the entry would
 * cost 16 bytes and a frame in every method; a check at the exit would run the body anyway.
 *
  * Class files older than version 51 cannot hold invokedynamic; they get the same shape through
 * {@code LegacySites} and {@code invokestatic}, and carry no stack map frames. JDK classes get it through
 * static calls too ({@code JdkSites.entry}, {@code Exits}), every method behind its package's key read
 * from a field of {@code JdkKeys}: linking them runs no JDK code.
 *
 * <p>A constructor's entry comes after its {@code super(...)}/{@code this(...)} call, where the
 * receiver is initialised; a constructor's exit passes the receiver as its return value.
 */
final class MethodSites extends AdviceAdapter {

    static final String RT = "org/jftrace/ftrace/";
    private static final String BSM_DESC =
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;I)Ljava/lang/invoke/CallSite;";
    // One bootstrap handle for every site (Trampoline.site dispatches on the name): a class resolves it once.
    private static final Handle SITE_BSM = new Handle(H_INVOKESTATIC, RT + "Trampoline", "site", BSM_DESC, false);
    private static final Type OBJECT = Type.getType(Object.class);
    private static final Type THROWABLE = Type.getType(Throwable.class);

    private final String owner;
    private final boolean isStatic;
    private final boolean isConstructor;
    private final boolean legacy;
    /** A JDK class: static entry and exits behind the key (see {@code JdkSites}), no live patching. */
    private final boolean jdk;
    /** The JDK key's slot: the {@code JdkKeys} field the key reads. */
    private int jdkKeySlot = -1;
    /** Whether the entry and exits are {@code invokestatic} calls: old class files and the JDK. */
    private final boolean staticCalls;
    private final boolean frames;
    private final int ip;
    private final boolean key;
    private final Type returnType;
    private final Type[] argTypes;

    private int token = -1;
    private final Label tryStart = new Label();
    private final Label handler = new Label();
    /** Whether the catch-all covers the entry and returns a live patch's value (not constructors). */
    private boolean patchable;

    /** Whether the returns jump to one shared exit site instead of each carrying its own. */
    private final boolean sharedExit;
    private final Label exitBlock = new Label();
    private boolean exitBlockUsed;
    /**
     * Upstream of this visitor when returns may share the exit (the operand stack at each return) and
     * in constructors (the frame after {@code super(...)}).
     */
    private AnalyzerAdapter analyzer;
    /** The descriptor of the constructor call the entry follows, while AdviceAdapter reports it. */
    private String superCall;
    /**
     * The frame at the key's skip label, until the next instruction: an instruction of the method there
     * gets it, a frame of the method's own at the same offset replaces it (two at one offset are
     * invalid, and the method's own is the one its back edges were verified against).
     */
    private Object[] pendingKeyFrame;

    /**
     * Whether the token is set to null at the constructor's first instruction (see {@link #visitCode}).
     */
    private final boolean earlyToken;
    /** Whether the entry site passes the receiver and arguments (see {@code Ftrace.entryArgs}). */
    private final boolean entryArgs;

    MethodSites(MethodVisitor mv, int access, String name, String desc, String owner, int ip, boolean legacy,
            int returns, boolean key, boolean severalSuperCalls, boolean entryArgs) {
        this(mv, access, name, desc, owner, ip, legacy, false, returns, key, severalSuperCalls, entryArgs);
    }

    /** @param jdk a JDK class's method: every method gets the key, its entry and exits are static calls */
    MethodSites(MethodVisitor mv, int access, String name, String desc, String owner, int ip, boolean legacy, boolean jdk,
            int returns, boolean key, boolean severalSuperCalls, boolean entryArgs) {
        super(Opcodes.ASM9, mv, access, name, desc);
        this.owner = owner;
        this.isStatic = (access & ACC_STATIC) != 0;
        this.isConstructor = "<init>".equals(name);
        this.legacy = legacy;
        this.jdk = jdk && !legacy;
        this.staticCalls = legacy || jdk;
        this.frames = !legacy;
        this.ip = ip;
        this.returnType = Type.getReturnType(desc);
        this.argTypes = Type.getArgumentTypes(desc);
        // An exit site is 7-8 bytes before its return, a goto 3 (2 more than the return it replaces),
        // the shared block 8-9 once: fewer bytes from two returns on. Constructors keep theirs (their
        // exit passes the receiver), and old class files carry no stack map frames to merge with.
        this.sharedExit = returns >= 2 && !isConstructor && !legacy;
        // A JDK method's entry is a static call that reads the function's binding: without the key
        // in front, that would run on every call while nothing is traced.
        this.key = (key || this.jdk) && !legacy;
        this.earlyToken = severalSuperCalls && isConstructor && !legacy;
        this.entryArgs = entryArgs && !this.jdk;
    }

    /** Sets the {@code JdkKeys} slot a JDK method's key reads. */
    MethodSites jdkKey(int slot) {
        this.jdkKeySlot = slot;
        return this;
    }

    /**
     * A constructor that calls {@code super(...)} or {@code this(...)} on several paths (groovyc picks
     * the super constructor at run time, one call per branch) gets an entry after each call, but its
     * frames declare the token from the first entry on in the code's order, including frames of other
     * paths before their own call and the frames where the paths join. Its token is therefore declared
     * from the first instruction and set to null there, which every path carries until its entry.
     */
    @Override
    public void visitCode() {
        super.visitCode();
        if (earlyToken) {
            token = newLocal(OBJECT);
            mv.visitInsn(ACONST_NULL);
            storeLocal(token);
        }
    }

    @Override
    protected void onMethodEnter() {
        if (token < 0) {
            token = newLocal(OBJECT);
        }
        patchable = !staticCalls && !isConstructor;
        Object[] keyFrame = key ? localsAtEntry() : null;
        if (patchable || keyFrame != null) {
            mv.visitInsn(ACONST_NULL);
            storeLocal(token);
        }
        if (patchable && !entered) {
            visitLabel(tryStart);
        }
        Label skip = null;
        if (keyFrame != null) {
            // The static key: while nothing in the package is traced, C2 folds this branch and never
            // parses the entry site below (see StaticKey).
            skip = new Label();
            if (jdk) { // a field and invokeExact: no bootstrap to run (see JdkKeys)
                mv.visitFieldInsn(GETSTATIC, RT + "JdkKeys", "K" + jdkKeySlot, "Ljava/lang/invoke/MutableCallSite;");
                mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/invoke/MutableCallSite", "getTarget",
                        "()Ljava/lang/invoke/MethodHandle;", false);
                mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/invoke/MethodHandle", "invokeExact", "()Z", false);
            } else {
                invokeDynamic("jftrace_key", "()Z", SITE_BSM, ip);
            }
            mv.visitJumpInsn(IFEQ, skip);
        }
        if (legacy) {
            legacyEntry();
        } else if (jdk) {
            push(ip);
            invokeStatic(Type.getObjectType(RT + "JdkSites"), new org.objectweb.asm.commons.Method("entry", "(I)Ljava/lang/Object;"));
        } else if (!entryArgs) {
            // The bare entry: one type for every method, so the JDK makes its method handles once, not
            // once per signature. A function that comes to need its arguments is planted again.
            invokeDynamic("jftrace_entry", "()Ljava/lang/Object;", SITE_BSM, ip);
        } else {
            StringBuilder d = new StringBuilder("(");
            if (!isStatic) {
                if (isConstructor && !owner.equals(typeAtEntry(0))) {
                    mv.visitInsn(ACONST_NULL);
                } else {
                    loadThis();
                }
                d.append('L').append(owner).append(';');
            }
            int slot = isStatic ? 0 : 1;
            for (int i = 0; i < argTypes.length; i++) {
                d.append(entryArg(i, slot));
                slot += argTypes[i].getSize();
            }
            d.append(")Ljava/lang/Object;");
            invokeDynamic("jftrace_entry", d.toString(), SITE_BSM, ip);
        }
        storeLocal(token);
        if (skip != null) {
            mv.visitLabel(skip);
            pendingKeyFrame = keyFrame;
        }
        if (!patchable && !entered) {
            // Once: AdviceAdapter enters again after each super(...) call of a constructor that has
            // several, one per path, and those paths' ranges are split off (see splitRanges).
            visitLabel(tryStart);
        }
        entered = true;
    }

    /**
     * Pushes argument {@code i} (in local {@code slot}) for the entry site and returns its type in the
     * site's descriptor. A method's entry is its first instruction, where every argument is live. A
     * constructor's follows {@code super(...)}, where the frame in force may declare an argument dead
     * (shrinkers drop the locals used only before the call) or hold another value in its slot: such an
     * argument is passed as its type's zero value, and a reference whose frame type is not the declared
     * one as an {@code Object}, so that every load type-checks against that frame.
     */
    private String entryArg(int i, int slot) {
        Type t = argTypes[i];
        if (!isConstructor) {
            loadArg(i);
            return t.getDescriptor();
        }
        Object have = typeAtEntry(slot);
        Object want = frameType(t);
        if (want.equals(have)) {
            loadArg(i);
            return t.getDescriptor();
        }
        if (want instanceof String && (have instanceof String || have == NULL)) {
            loadArg(i);
            return "Ljava/lang/Object;";
        }
        pushZero(t);
        return t.getDescriptor();
    }

    /** The type the frame in force gives local {@code slot} where a constructor's entry is planted, or null. */
    private Object typeAtEntry(int slot) {
        java.util.List<Object> locals = analyzer == null ? null : analyzer.locals;
        if (locals == null || slot >= locals.size()) {
            return null;
        }
        Object v = locals.get(slot);
        return v == Opcodes.UNINITIALIZED_THIS ? owner : v; // initialised by the call the entry follows
    }

    private void pushZero(Type t) {
        switch (t.getSort()) {
            case Type.LONG:
                mv.visitInsn(LCONST_0);
                break;
            case Type.FLOAT:
                mv.visitInsn(FCONST_0);
                break;
            case Type.DOUBLE:
                mv.visitInsn(DCONST_0);
                break;
            case Type.OBJECT:
            case Type.ARRAY:
                mv.visitInsn(ACONST_NULL);
                break;
            default:
                mv.visitInsn(ICONST_0);
        }
    }

    /**
     * The locals where the entry site is planted, as a stack map frame's list (before the token, which
     * the frame gets from LocalVariablesSorter), or null if the key cannot be planted: then the entry
     * site alone decides, as before keys. A method starts with its receiver and arguments; a
     * constructor's entry follows its {@code super(...)}, where the analyzer still sees the call's
     * operands (it updates after passing the call on) and any locals set before it (JDK 25's flexible
     * constructor bodies allow some).
     */
    private Object[] localsAtEntry() {
        if (!isConstructor) {
            java.util.List<Object> l = new java.util.ArrayList<>();
            if (!isStatic) {
                l.add(owner);
            }
            for (Type t : argTypes) {
                l.add(frameType(t));
            }
            return l.toArray();
        }
        if (analyzer == null || analyzer.locals == null || analyzer.stack == null || superCall == null) {
            return null;
        }
        int operands = Type.getArgumentsAndReturnSizes(superCall) >> 2; // the arguments and the receiver
        if (analyzer.stack.size() != operands) {
            return null; // something stays on the stack past the call: no frame of ours describes it
        }
        java.util.List<Object> l = new java.util.ArrayList<>();
        java.util.List<Object> locals = analyzer.locals;
        for (int i = 0; i < locals.size(); i++) {
            Object v = locals.get(i);
            if (v == Opcodes.UNINITIALIZED_THIS) {
                v = owner;
            } else if (v instanceof Label) {
                return null; // an object not yet initialised, kept in a local: leave such code alone
            }
            l.add(v);
            if (v == LONG || v == DOUBLE) {
                i++; // the analyzer lists their second slot as TOP; a frame does not
            }
        }
        return l.toArray();
    }

    private void legacyEntry() {
        Label off = new Label();
        Label done = new Label();
        push(ip);
        invokeStatic(Type.getObjectType(RT + "LegacySites"), new org.objectweb.asm.commons.Method("on", "(I)Z"));
        ifZCmp(EQ, off);
        push(ip);
        push(argTypes.length + (isStatic ? 0 : 1));
        newArray(OBJECT);
        int slot = 0;
        if (!isStatic) {
            dup();
            push(slot++);
            loadThis();
            arrayStore(OBJECT);
        }
        for (int i = 0; i < argTypes.length; i++) {
            dup();
            push(slot++);
            loadArg(i);
            box(argTypes[i]);
            arrayStore(OBJECT);
        }
        invokeStatic(Type.getObjectType(RT + "LegacySites"),
                new org.objectweb.asm.commons.Method("entry", "(I[Ljava/lang/Object;)Ljava/lang/Object;"));
        goTo(done);
        mark(off);
        mv.visitInsn(ACONST_NULL);
        mark(done);
    }

    /**
     * The visitor to feed the method to: this one, behind an {@link AnalyzerAdapter} when returns may
     * share the exit or the method is a constructor. A return may jump to the shared exit only when its
     * value is all that is on the operand stack, as the exit's frame says: javac never leaves more, but
     * other compilers do (Kotlin's coroutine state machines return over leftover values), and a jump
     * with more fails verification.
     */
    MethodVisitor withAnalyzer(String ownerName) {
        if (!sharedExit && !(isConstructor && !legacy)) {
            return this;
        }
        analyzer = new AnalyzerAdapter(ownerName, methodAccess, getName(), methodDesc, this);
        return analyzer;
    }

    private boolean onlyTheValueOnStack() {
        java.util.List<Object> stack = analyzer == null ? null : analyzer.stack;
        return stack != null && stack.size() == returnType.getSize();
    }

    /** Emits the key's frame before the first instruction after its skip label. */
    private void flushKeyFrame() {
        Object[] f = pendingKeyFrame;
        if (f != null) {
            pendingKeyFrame = null;
            super.visitFrame(F_NEW, f.length, f, 0, new Object[0]);
        }
        if (earlyToken && entered) {
            splitRanges();
        }
    }

    /** The catch-all's closed ranges (start, end, ...) and the open one, in a constructor with several calls. */
    private final java.util.List<Label> ranges = new java.util.ArrayList<>();
    private Label rangeStart;
    private boolean rangeUsed;
    /** Whether the entry and the catch-all's start are planted. */
    private boolean entered;

    /**
     * The catch-all's ranges in a constructor with several {@code super(...)} calls: code on another
     * path before its own call, where {@code this} is not yet initialised, stays outside them (the JVM
     * rejects a handler whose frame says {@code this} is initialised over such code). Called before
     * each of the method's instructions, with the analyzer's state before it.
     */
    private void splitRanges() {
        if (rangeStart == null && ranges.isEmpty()) {
            rangeStart = tryStart; // the entry's range, open since the entry
            rangeUsed = true;
        }
        java.util.List<Object> locals = analyzer == null ? null : analyzer.locals;
        if (locals == null) {
            if (rangeStart != null) {
                rangeUsed = true;
            }
            return; // after a jump, before the next frame: unchanged
        }
        boolean uninit = locals.contains(Opcodes.UNINITIALIZED_THIS);
        if (rangeStart != null && uninit) {
            if (rangeUsed) {
                Label end = new Label();
                mv.visitLabel(end);
                ranges.add(rangeStart);
                ranges.add(end);
            }
            rangeStart = null;
        } else if (rangeStart == null && !uninit) {
            rangeStart = new Label();
            mv.visitLabel(rangeStart);
            rangeUsed = true;
        } else if (rangeStart != null) {
            rangeUsed = true;
        }
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        pendingKeyFrame = null; // the method's own frame at the same offset stands for ours
        super.visitFrame(type, numLocal, local, numStack, stack);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean isInterface) {
        flushKeyFrame();
        superCall = opcode == INVOKESPECIAL && "<init>".equals(name) ? desc : null;
        super.visitMethodInsn(opcode, owner, name, desc, isInterface);
        superCall = null;
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        flushKeyFrame();
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        flushKeyFrame();
        super.visitVarInsn(opcode, var);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        flushKeyFrame();
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String desc) {
        flushKeyFrame();
        super.visitFieldInsn(opcode, owner, name, desc);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... bsmArgs) {
        flushKeyFrame();
        super.visitInvokeDynamicInsn(name, desc, bsm, bsmArgs);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        flushKeyFrame();
        super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLdcInsn(Object value) {
        flushKeyFrame();
        super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        flushKeyFrame();
        super.visitIincInsn(var, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        flushKeyFrame();
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        flushKeyFrame();
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String desc, int numDimensions) {
        flushKeyFrame();
        super.visitMultiANewArrayInsn(desc, numDimensions);
    }

    @Override
    public void visitInsn(int opcode) {
        flushKeyFrame();
        if (sharedExit && token >= 0 && opcode >= IRETURN && opcode <= RETURN && onlyTheValueOnStack()) {
            mv.visitJumpInsn(GOTO, exitBlock);
            exitBlockUsed = true;
            return;
        }
        super.visitInsn(opcode);
    }

    @Override
    protected void onMethodExit(int opcode) {
        if (opcode == ATHROW) {
            return; // may be caught inside the method; the catch-all handler sees real exceptional exits
        }
        if (token < 0) {
            // No entry was planted: AdviceAdapter never recognised this constructor's super() call
            // (Kotlin keeps the uninitialised this in locals). No entry, so no exits either.
            return;
        }
        if (isConstructor) {
            receiverAtExit();
            exitSite(Type.getObjectType(owner));
        } else if (returnType.getSort() == Type.VOID) {
            exitSite(null);
        } else {
            if (returnType.getSize() == 2) {
                dup2();
            } else {
                dup();
            }
            exitSite(returnType);
        }
    }

    /**
     * Pushes a constructor's receiver for its exit site: {@code this} where the frame in force says
     * local 0 holds it, else null. Shrunk and shaded code often chops the frame before the final
     * {@code return} (its locals are dead there, local 0 included), and may reuse local 0 for something
     * else; the JVM's verifier checks a load against that frame, not against what flows there.
     */
    private void receiverAtExit() {
        java.util.List<Object> locals = analyzer == null ? null : analyzer.locals;
        if (legacy || (locals != null && !locals.isEmpty() && owner.equals(locals.get(0)))) {
            loadThis(); // old class files are verified by inference, which sees the receiver flow there
        } else {
            mv.visitInsn(ACONST_NULL);
        }
    }

    /** Stack: [value] → calls the exit site with (value, token). */
    private void exitSite(Type value) {
        if (staticCalls && value != null && value.getSort() >= Type.BOOLEAN && value.getSort() <= Type.INT) {
            mv.visitInsn(I2L); // invokestatic has no adapters: widen here, as the indy target does
        }
        loadLocal(token);
        if (staticCalls) {
            legacyExit(value, false);
            return;
        }
        String d = value == null ? "(Ljava/lang/Object;)V" : "(" + value.getDescriptor() + "Ljava/lang/Object;)V";
        invokeDynamic("jftrace_exit", d, SITE_BSM, ip);
    }

    private void legacyExit(Type value, boolean isThrow) {
        String name;
        String desc;
        if (isThrow) {
            name = "exitT";
            desc = "(Ljava/lang/Throwable;Ljava/lang/Object;)V";
        } else if (value == null) {
            name = "exitV";
            desc = "(Ljava/lang/Object;)V";
        } else {
            switch (value.getSort()) {
                case Type.FLOAT:
                    name = "exitF";
                    desc = "(FLjava/lang/Object;)V";
                    break;
                case Type.DOUBLE:
                    name = "exitD";
                    desc = "(DLjava/lang/Object;)V";
                    break;
                case Type.LONG:
                    name = "exitJ";
                    desc = "(JLjava/lang/Object;)V";
                    break;
                case Type.OBJECT:
                case Type.ARRAY:
                    name = "exitL";
                    desc = "(Ljava/lang/Object;Ljava/lang/Object;)V";
                    break;
                default: // boolean, byte, char, short, int: widened by exitSite before the token
                    name = "exitJ";
                    desc = "(JLjava/lang/Object;)V";
            }
        }
        invokeStatic(Type.getObjectType(RT + "Exits"), new org.objectweb.asm.commons.Method(name, desc));
    }

    private static Object frameType(Type t) {
        switch (t.getSort()) {
            case Type.BOOLEAN:
            case Type.BYTE:
            case Type.CHAR:
            case Type.SHORT:
            case Type.INT:
                return INTEGER;
            case Type.LONG:
                return LONG;
            case Type.FLOAT:
                return FLOAT;
            case Type.DOUBLE:
                return DOUBLE;
            default:
                return t.getInternalName();
        }
    }

    /**
     * Our own instructions go straight to the next visitor, like GeneratorAdapter's loads and dups: in a
     * constructor, AdviceAdapter simulates the stack again from each exception handler on, and a site
     * it only half saw (the loads bypass it) would underflow its model.
     */
    private void invokeDynamic(String name, String desc, Handle bsm, int ipArg) {
        mv.visitInvokeDynamicInsn(name, desc, bsm, ipArg);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        if (exitBlockUsed) {
            // Every return's value, and nothing else the exit needs but the token: the other locals
            // are TOP, as at the handler.
            visitLabel(exitBlock);
            int ret = returnType.getOpcode(IRETURN);
            if (returnType.getSort() == Type.VOID) {
                visitFrame(F_NEW, 0, new Object[0], 0, new Object[0]);
            } else {
                visitFrame(F_NEW, 0, new Object[0], 1, new Object[] {frameType(returnType)});
            }
            onMethodExit(ret);
            mv.visitInsn(ret);
        }
        if (token >= 0) {
            visitLabel(handler);
            if (frames) {
                // Every local but the token is TOP: the handler needs nothing else, and TOP accepts
                // whatever the body keeps in its slots. LocalVariablesSorter adds the token's type.
                visitFrame(F_NEW, 0, new Object[0], 1, new Object[] {THROWABLE.getInternalName()});
            }
            if (patchable) {
                loadLocal(token);
                invokeDynamic("jftrace_throw", "(Ljava/lang/Throwable;Ljava/lang/Object;)" + returnType.getDescriptor(),
                        SITE_BSM, ip);
                mv.visitInsn(returnType.getOpcode(IRETURN)); // straight to the writer: not an exit to instrument
            } else {
                dup();
                loadLocal(token);
                if (staticCalls) {
                    legacyExit(null, true);
                } else {
                    invokeDynamic("jftrace_throw", "(Ljava/lang/Throwable;Ljava/lang/Object;)V", SITE_BSM, ip);
                }
                throwException();
            }
            // Added last, so that the method's own handlers keep precedence over the catch-all.
            if (!earlyToken) {
                visitTryCatchBlock(tryStart, handler, handler, null);
            } else {
                for (int i = 0; i < ranges.size(); i += 2) {
                    visitTryCatchBlock(ranges.get(i), ranges.get(i + 1), handler, null);
                }
                if (rangeStart != null && rangeUsed) {
                    visitTryCatchBlock(rangeStart, handler, handler, null);
                } else if (rangeStart == null && ranges.isEmpty()) {
                    visitTryCatchBlock(tryStart, handler, handler, null);
                }
            }
        }
        super.visitMaxs(maxStack, maxLocals);
    }
}
