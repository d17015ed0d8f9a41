package org.jftrace.trace;

/**
 * Prints argument and return values as func-args, funcgraph-args and funcgraph-retval show them:
 * {@code name=value, ...} with integers in decimal, chars quoted ({@code 'a'}), booleans, floats as
 * Java prints them, {@code null}, strings quoted and cut ({@code "abc"...} when longer than was kept),
 * other objects as {@code SimpleName@identityhash} (hex), and {@code ...} for arguments past the sixth.
 * Names not in the class file print as {@code arg0, arg1, ...}.
 */
public final class ArgFormatter {

    private ArgFormatter() {
    }

    /**
     * Appends the arguments in {@code w} ({@link ArgEncoder}'s words).
     *
     * @param names the parameters' names joined by commas, or null
     */
    public static void args(StringBuilder sb, long[] w, String names) {
        String[] n = names == null ? null : names.split(",", -1);
        int count = ArgEncoder.count(w);
        int pos = 1;
        for (int i = 0; i < count; i++) {
            int kind = ArgEncoder.kind(w, i);
            if (i > 0) {
                sb.append(", ");
            }
            if (kind == ArgEncoder.MORE) {
                sb.append("...");
                continue;
            }
            sb.append(n != null && i < n.length ? n[i] : "arg" + i).append('=');
            value(sb, w, pos, kind, false);
            pos = ArgEncoder.skip(w, pos, kind);
        }
    }

    /**
     * Appends a return value: the captured object or exception in {@code w} if any, else the return
     * record's bits as the function's return type says.
     *
     * @param w          the return record's words, or null
     * @param bits       the return record's value bits
     * @param returnType the descriptor char of the return type
     * @param hex        funcgraph-retval-hex: integers in hex
     * @return false if there is nothing to show (void, or an object return that was not captured)
     */
    public static boolean ret(StringBuilder sb, long[] w, long bits, char returnType, boolean hex) {
        if (w != null && ArgEncoder.count(w) > 0) {
            value(sb, w, 1, ArgEncoder.kind(w, 0), hex);
            return true;
        }
        switch (returnType) {
            case 'Z':
                sb.append(bits != 0);
                return true;
            case 'C':
                ch(sb, (char) bits);
                return true;
            case 'B':
            case 'S':
            case 'I':
                if (hex) {
                    sb.append("0x").append(Integer.toHexString((int) bits));
                } else {
                    sb.append((int) bits);
                }
                return true;
            case 'J':
                integer(sb, bits, hex);
                return true;
            case 'F':
                sb.append(Float.intBitsToFloat((int) bits));
                return true;
            case 'D':
                sb.append(Double.longBitsToDouble(bits));
                return true;
            default:
                return false;
        }
    }

    /** Whether {@code w} holds a thrown exception's class (else a value). */
    public static boolean threw(long[] w) {
        return w != null && ArgEncoder.count(w) > 0 && ArgEncoder.kind(w, 0) == ArgEncoder.THROWN;
    }

    static void value(StringBuilder sb, long[] w, int pos, int kind, boolean hex) {
        long v = w.length > pos ? w[pos] : 0;
        switch (kind) {
            case ArgEncoder.NULL:
                sb.append("null");
                break;
            case ArgEncoder.BOOL:
                sb.append(v != 0);
                break;
            case ArgEncoder.CHAR:
                ch(sb, (char) v);
                break;
            case ArgEncoder.INT:
                integer(sb, v, hex);
                break;
            case ArgEncoder.FLOAT:
                sb.append(Float.intBitsToFloat((int) v));
                break;
            case ArgEncoder.DOUBLE:
                sb.append(Double.longBitsToDouble(v));
                break;
            case ArgEncoder.OBJECT:
                sb.append(ArgClasses.simpleName((int) (v >>> 32))).append('@').append(Integer.toHexString((int) v));
                break;
            case ArgEncoder.STRING:
                string(sb, ArgEncoder.string(w, pos), ArgEncoder.stringLength(w, pos));
                break;
            case ArgEncoder.THROWN:
                sb.append(ArgClasses.name((int) v));
                break;
            case ArgEncoder.MORE:
                sb.append("...");
                break;
            default:
                sb.append('?');
        }
    }

    private static void integer(StringBuilder sb, long v, boolean hex) {
        if (hex) {
            sb.append("0x").append(Long.toHexString(v));
        } else {
            sb.append(v);
        }
    }

    /** A string as kept: quoted, with quotes, backslashes and control characters escaped; "..." after it if cut. */
    public static void string(StringBuilder sb, String kept, int length) {
        sb.append('"');
        for (int i = 0; i < kept.length(); i++) {
            escaped(sb, kept.charAt(i), '"');
        }
        sb.append('"');
        if (length > kept.length()) {
            sb.append("...");
        }
    }

    private static void ch(StringBuilder sb, char c) {
        sb.append('\'');
        escaped(sb, c, '\'');
        sb.append('\'');
    }

    private static void escaped(StringBuilder sb, char c, char quote) {
        if (c == quote || c == '\\') {
            sb.append('\\').append(c);
        } else if (c == '\n') {
            sb.append("\\n");
        } else if (c == '\t') {
            sb.append("\\t");
        } else if (c == '\r') {
            sb.append("\\r");
        } else if (c < 0x20 || c == 0x7F) {
            sb.append(String.format("\\u%04x", (int) c));
        } else {
            sb.append(c);
        }
    }
}
