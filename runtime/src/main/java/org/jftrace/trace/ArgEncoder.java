package org.jftrace.trace;

import java.util.Arrays;
import org.jftrace.ftrace.DynFtrace;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.Regs;
import org.jftrace.ring.RecordDescriptor;

/**
 * Encodes a call's arguments, or a returned object, into value words for the ARGS records of its
 * trace record, on the traced thread: no allocation (after a function's first call), no lock, and no
 * user code (no toString, hashCode or equals: an object is its class number and identity hash).
 *
 * <p>Words: word 0 holds the number of values (bits 0-3) and each value's kind (4 bits each from
 * bit 4); the values' words follow in order:
 * <pre>
 *  kind     words  content
 *  NULL     0
 *  BOOL     1      0 or 1
 *  CHAR     1      the char
 *  INT      1      byte, short, int or long, sign-extended
 *  FLOAT    1      Float.floatToRawIntBits
 *  DOUBLE   1      Double.doubleToRawLongBits
 *  OBJECT   1      class number (ArgClasses) &lt;&lt; 32 | identity hash
 *  STRING   1 + c  length &lt;&lt; 32 | c chars copied; then the chars, 4 per word, low bits first
 *  THROWN   1      class number of the exception that left the function
 *  MORE     0      arguments past the sixth were left out (printed "...")
 * </pre>
 */
public final class ArgEncoder {

    public static final int NULL = 0;
    public static final int BOOL = 1;
    public static final int CHAR = 2;
    public static final int INT = 3;
    public static final int FLOAT = 4;
    public static final int DOUBLE = 5;
    public static final int OBJECT = 6;
    public static final int STRING = 7;
    public static final int THROWN = 8;
    public static final int MORE = 9;

    /** Arguments shown, as the kernel's func-args (FTRACE_REGS_MAX_ARGS): more print as "...". */
    public static final int MAX_ARGS = 6;
    /** Value words a group can hold. */
    public static final int MAX_WORDS = 2 * RecordDescriptor.MAX_ARGS_SLOTS;
    /** Most characters of a string func_args_strlen may ask to keep. */
    public static final int MAX_STRLEN = 128;

    /** Per function (by ip): its parameters' descriptor chars, then its return's (read for the return). Built on first use. */
    private static volatile char[][] layouts = new char[1024][];

    private ArgEncoder() {
    }

    /**
     * Encodes the call's arguments (receiver excluded) into {@code w}.
     *
     * @return the number of words, 0 if the call has no arguments (or its site did not pass them yet)
     */
    public static int args(Regs regs, long[] w, int strlen) {
        int n = regs.argCount();
        if (n <= 0) {
            return 0;
        }
        int shown = Math.min(n, MAX_ARGS);
        int values = shown + (n > shown ? 1 : 0);
        long head = values;
        int pos = 1;
        for (int i = 0; i < shown; i++) {
            // typed reads: the site saved primitives as the raw bits these words hold (see Regs#argBits)
            int kind;
            switch (regs.argType(i)) {
                case 'Z':
                    kind = BOOL;
                    w[pos++] = regs.argBits(i);
                    break;
                case 'C':
                    kind = CHAR;
                    w[pos++] = regs.argBits(i);
                    break;
                case 'B':
                case 'S':
                case 'I':
                case 'J':
                    kind = INT;
                    w[pos++] = regs.argBits(i);
                    break;
                case 'F':
                    kind = FLOAT;
                    w[pos++] = regs.argBits(i);
                    break;
                case 'D':
                    kind = DOUBLE;
                    w[pos++] = regs.argBits(i);
                    break;
                default:
                    kind = object(regs.argObject(i), w, pos, strlen, values - i - 1);
                    pos = skip(w, pos, kind);
            }
            head |= (long) kind << (4 + 4 * i);
        }
        if (n > shown) {
            head |= (long) MORE << (4 + 4 * shown);
        }
        w[0] = head;
        return pos;
    }

    /**
     * Encodes what left a function whose return the graph shows: the exception, or the returned
     * object of a function returning a reference.
     *
     * @return the number of words, 0 if there is nothing to keep (a primitive or void return: the
     *         return record's bits hold it)
     */
    public static int ret(int ip, Object value, Throwable thrown, long[] w, int strlen) {
        if (thrown != null) {
            w[0] = 1 | (long) THROWN << 4;
            w[1] = ArgClasses.id(thrown.getClass());
            return 2;
        }
        char[] decl = layout(ip);
        char r = decl[decl.length - 1];
        if (r != 'L' && r != '[') {
            return 0;
        }
        int kind = object(value, w, 1, strlen, 0);
        w[0] = 1 | (long) kind << 4;
        return skip(w, 1, kind);
    }

    /** @return the descriptor char of function {@code ip}'s return: V, a primitive, L or [ */
    public static char returnType(int ip) {
        char[] decl = layout(ip);
        return decl[decl.length - 1];
    }

    /** Writes an object's value at {@code pos}, leaving {@code reserve} words for the values after it. */
    private static int object(Object o, long[] w, int pos, int strlen, int reserve) {
        if (o == null) {
            return NULL;
        }
        if (o.getClass() == String.class) {
            String s = (String) o;
            int len = s.length();
            int room = (MAX_WORDS - pos - 1 - reserve) * 4;
            int c = Math.max(0, Math.min(len, Math.min(strlen, room)));
            w[pos] = (long) len << 32 | c;
            int at = pos + 1;
            for (int i = 0; i < c; i += 4) {
                long word = 0;
                for (int j = 0; j < 4 && i + j < c; j++) {
                    word |= (long) s.charAt(i + j) << (16 * j);
                }
                w[at++] = word;
            }
            return STRING;
        }
        w[pos] = (long) ArgClasses.id(o.getClass()) << 32 | (System.identityHashCode(o) & 0xFFFF_FFFFL);
        return OBJECT;
    }

    /** @return the position after the value of {@code kind} at {@code pos} */
    public static int skip(long[] w, int pos, int kind) {
        switch (kind) {
            case NULL:
            case MORE:
                return pos;
            case STRING:
                return pos + 1 + (((int) w[pos]) + 3) / 4;
            default:
                return pos + 1;
        }
    }

    /** @return the number of values in the words */
    public static int count(long[] w) {
        return (int) (w[0] & 0xF);
    }

    /** @return the kind of value {@code i} */
    public static int kind(long[] w, int i) {
        return (int) (w[0] >>> (4 + 4 * i)) & 0xF;
    }

    /** @return the string held at {@code pos} (a STRING value), as copied */
    public static String string(long[] w, int pos) {
        int c = (int) w[pos];
        char[] chars = new char[c];
        for (int i = 0; i < c; i++) {
            chars[i] = (char) (w[pos + 1 + i / 4] >>> (16 * (i % 4)));
        }
        return new String(chars);
    }

    /** @return the original length of the string at {@code pos} */
    public static int stringLength(long[] w, int pos) {
        return (int) (w[pos] >>> 32);
    }

    static char[] layout(int ip) {
        char[][] l = layouts;
        char[] d = ip >= 0 && ip < l.length ? l[ip] : null;
        return d != null ? d : makeLayout(ip);
    }

    private static synchronized char[] makeLayout(int ip) {
        char[][] l = layouts;
        if (ip >= 0 && ip < l.length && l[ip] != null) {
            return l[ip];
        }
        DynFtrace rec = Ftrace.records().get(ip);
        char[] d = rec == null ? new char[] {'V'} : descriptorChars(rec.name());
        if (ip >= 0) {
            if (ip >= l.length) {
                l = Arrays.copyOf(l, Math.max(ip + 1, l.length * 2));
            }
            l[ip] = d;
            layouts = l;
        }
        return d;
    }

    /** The first char of each parameter's descriptor, then the return's: {@code (I[JLx;)Z} gives {@code I[LZ}. */
    static char[] descriptorChars(String name) {
        int p = name.indexOf('(');
        if (p < 0) {
            return new char[] {'V'};
        }
        StringBuilder sb = new StringBuilder();
        int i = p + 1;
        while (i < name.length() && name.charAt(i) != ')') {
            char c = name.charAt(i);
            sb.append(c);
            while (name.charAt(i) == '[') {
                i++;
            }
            if (name.charAt(i) == 'L') {
                i = name.indexOf(';', i);
            }
            i++;
        }
        sb.append(i + 1 < name.length() ? name.charAt(i + 1) : 'V');
        return sb.toString().toCharArray();
    }
}
