package org.jftrace.agent;

import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.ParameterNode;

/**
 * A method's parameter names, for func-args: from the MethodParameters attribute ({@code javac
 * -parameters}), else from the LocalVariableTable ({@code -g}), else none. Read while planting, from
 * the method the planter has parsed anyway, so functions of classes never planted cost nothing.
 */
final class ParameterNames {

    private ParameterNames() {
    }

    /** @return the names joined by commas, or null if the method has no parameters or the class file does not say */
    static String of(MethodNode m) {
        Type[] args = Type.getArgumentTypes(m.desc);
        if (args.length == 0) {
            return null;
        }
        String[] names = new String[args.length];
        List<ParameterNode> params = m.parameters;
        if (params != null && params.size() == args.length) {
            for (int i = 0; i < args.length; i++) {
                names[i] = params.get(i).name;
            }
        }
        if (names[args.length - 1] == null && m.localVariables != null) {
            int slot = (m.access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
            for (int i = 0; i < args.length; i++) {
                names[i] = atEntry(m, slot);
                slot += args[i].getSize();
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null || names[i].isEmpty() || names[i].indexOf(',') >= 0) {
                return null; // all or none: a mix of names and argN would read as a different signature
            }
            sb.append(i == 0 ? "" : ",").append(names[i]);
        }
        return sb.toString();
    }

    /** The name of the local in {@code slot} whose scope starts first: the parameter (a slot may be reused later). */
    private static String atEntry(MethodNode m, int slot) {
        LocalVariableNode best = null;
        int bestAt = -1;
        for (LocalVariableNode v : m.localVariables) {
            if (v.index != slot) {
                continue;
            }
            if (best == null) {
                best = v; // the usual case: one local in the slot, no scope to compare
                continue;
            }
            if (bestAt < 0) {
                bestAt = indexOf(m, best.start);
            }
            int at = indexOf(m, v.start);
            if (at < bestAt) {
                best = v;
                bestAt = at;
            }
        }
        return best == null ? null : best.name;
    }

    private static int indexOf(MethodNode m, AbstractInsnNode label) {
        int i = 0;
        for (AbstractInsnNode n = m.instructions.getFirst(); n != null; n = n.getNext(), i++) {
            if (n == label) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }
}
