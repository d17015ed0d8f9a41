package org.jftrace.cli.report;

/**
 * Prints arguments and return values as the live trace does (the runtime's ArgFormatter, which the
 * command line does not ship): {@code name=value, ...}, {@code ret=VALUE}, {@code threw CLASS}.
 */
public final class ArgText {

    private ArgText() {
    }

    /** {@code a=1, b="x"}; names joined by commas (null: arg0, arg1, ...). */
    public static String args(ArgValue[] args, String names) {
        StringBuilder sb = new StringBuilder();
        String[] n = names == null ? null : names.split(",", -1);
        for (int i = 0; i < args.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            if (args[i].kind != ArgValue.MORE) {
                sb.append(name(n, i)).append('=');
            }
            args[i].append(sb, false);
        }
        return sb.toString();
    }

    /** The name of argument {@code i}: from the class file, else {@code argI}. */
    public static String name(String[] names, int i) {
        return names != null && i < names.length ? names[i] : "arg" + i;
    }

    /**
     * What a return shows: {@code threw CLASS} (or {@code threw} when the class was not recorded),
     * {@code ret=VALUE}, or null (void, or an object return that was not captured).
     *
     * @param function the function's name with its descriptor (for the return type of the bits)
     */
    public static String ret(boolean threw, ArgValue captured, long bits, String function, boolean hex) {
        if (threw) {
            return captured != null && captured.kind == ArgValue.THROWN ? "threw " + captured.text : "threw";
        }
        String v = value(captured, bits, function, hex);
        return v == null ? null : "ret=" + v;
    }

    /** The returned value as text, or null (void, or an object return not captured). */
    public static String value(ArgValue captured, long bits, String function, boolean hex) {
        StringBuilder sb = new StringBuilder();
        if (captured != null && captured.kind != ArgValue.THROWN) {
            captured.append(sb, hex);
            return sb.toString();
        }
        int p = function.indexOf(')');
        char r = p >= 0 && p + 1 < function.length() ? function.charAt(p + 1) : 'V';
        switch (r) {
            case 'Z': return Boolean.toString(bits != 0);
            case 'C': ch(sb, (char) bits); return sb.toString();
            case 'B':
            case 'S':
            case 'I': return hex ? "0x" + Integer.toHexString((int) bits) : Integer.toString((int) bits);
            case 'J': return hex ? "0x" + Long.toHexString(bits) : Long.toString(bits);
            case 'F': return Float.toString(Float.intBitsToFloat((int) bits));
            case 'D': return Double.toString(Double.longBitsToDouble(bits));
            default: return null;
        }
    }

    static void string(StringBuilder sb, String kept, long length) {
        sb.append('"');
        for (int i = 0; i < kept.length(); i++) {
            escaped(sb, kept.charAt(i), '"');
        }
        sb.append('"');
        if (length > kept.length()) {
            sb.append("...");
        }
    }

    static void ch(StringBuilder sb, char c) {
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
