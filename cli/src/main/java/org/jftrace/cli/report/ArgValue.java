package org.jftrace.cli.report;

/**
 * One argument or return value of a record, as the data file holds it (docs/data-format.md, ARGS):
 * decoded, ready to print as the live trace does ({@link #toString()}) or to export.
 */
public final class ArgValue {

    public static final int NULL = 0;
    public static final int BOOL = 1;
    public static final int CHAR = 2;
    public static final int INT = 3;
    public static final int FLOAT = 4;
    public static final int DOUBLE = 5;
    public static final int OBJECT = 6;
    public static final int STRING = 7;
    public static final int THROWN = 8;
    /** Arguments past the sixth were left out: printed {@code ...}. */
    public static final int MORE = 9;

    /** One of the constants above. */
    public final int kind;
    /** BOOL 0/1, CHAR, INT: the value; FLOAT: raw int bits; DOUBLE: raw long bits; OBJECT: the identity hash. */
    public final long bits;
    /** STRING: the characters kept; OBJECT, THROWN: the class's binary name. */
    public final String text;
    /** STRING: the string's length (more than {@code text}'s when it was cut). */
    public final long length;

    ArgValue(int kind, long bits, String text, long length) {
        this.kind = kind;
        this.bits = bits;
        this.text = text;
        this.length = length;
    }

    /** @return for an OBJECT its class's simple name: no package, no enclosing class */
    public String simpleClassName() {
        String n = text.substring(text.lastIndexOf('.') + 1);
        if (n.startsWith("[")) {
            return arrayName(text);
        }
        int d = n.lastIndexOf('$');
        return d >= 0 && d + 1 < n.length() && !Character.isDigit(n.charAt(d + 1)) && n.indexOf('/') < 0
                ? n.substring(d + 1) : n;
    }

    private static String arrayName(String binary) {
        int dims = 0;
        while (binary.charAt(dims) == '[') {
            dims++;
        }
        String e;
        switch (binary.charAt(dims)) {
            case 'Z': e = "boolean"; break;
            case 'B': e = "byte"; break;
            case 'C': e = "char"; break;
            case 'S': e = "short"; break;
            case 'I': e = "int"; break;
            case 'J': e = "long"; break;
            case 'F': e = "float"; break;
            case 'D': e = "double"; break;
            default: {
                String c = binary.substring(dims + 1, binary.length() - 1);
                e = new ArgValue(OBJECT, 0, c, 0).simpleClassName();
            }
        }
        return e + "[]".repeat(dims);
    }

    /**
     * @return the double nearest to the decimal Java prints for {@code f}: it prints the same
     *     ({@code 0.1f} as 0.1), where widening would print {@code 0.10000000149011612}
     */
    public static double decimal(float f) {
        return Float.isFinite(f) ? Double.parseDouble(Float.toString(f)) : f;
    }

    /** @return the value as a JSON-friendly Java object: Boolean, Long, Double, String or null */
    public Object plain() {
        switch (kind) {
            case BOOL: return bits != 0;
            case INT: return bits;
            case FLOAT: return decimal(Float.intBitsToFloat((int) bits));
            case DOUBLE: return Double.longBitsToDouble(bits);
            case NULL: return null;
            default: return toString();
        }
    }

    /** @return the value as the live trace prints it (see the runtime's ArgFormatter) */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        append(sb, false);
        return sb.toString();
    }

    /** Appends the value as the live trace prints it; {@code hex}: integers in hex (funcgraph-retval-hex). */
    public void append(StringBuilder sb, boolean hex) {
        switch (kind) {
            case NULL: sb.append("null"); break;
            case BOOL: sb.append(bits != 0); break;
            case CHAR: ArgText.ch(sb, (char) bits); break;
            case INT:
                if (hex) {
                    sb.append("0x").append(Long.toHexString(bits));
                } else {
                    sb.append(bits);
                }
                break;
            case FLOAT: sb.append(Float.intBitsToFloat((int) bits)); break;
            case DOUBLE: sb.append(Double.longBitsToDouble(bits)); break;
            case OBJECT: sb.append(simpleClassName()).append('@').append(Long.toHexString(bits)); break;
            case STRING: ArgText.string(sb, text, length); break;
            case THROWN: sb.append(text); break;
            case MORE: sb.append("..."); break;
            default: sb.append('?');
        }
    }
}
