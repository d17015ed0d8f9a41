package org.jftrace.cli.report;

/**
 * A call's arguments and return value as members of a trace event's {@code args} object:
 * {@code "arguments":{"n":7,"s":"\"x\""}}, {@code "return":"-22"}, {@code "exception":"java.io.IOException"}.
 * Numbers and booleans stay JSON values; everything else is its text as the trace prints it.
 */
final class ArgJson {

    private ArgJson() {
    }

    static void args(StringBuilder sb, Jvm jvm, int ip, ArgValue[] args) {
        if (args == null) {
            return;
        }
        sb.append(",\"arguments\":{");
        String names = jvm.parameters(ip);
        String[] n = names == null ? null : names.split(",", -1);
        for (int i = 0; i < args.length; i++) {
            sb.append(i > 0 ? "," : "");
            Json.str(sb, args[i].kind == ArgValue.MORE ? "..." : ArgText.name(n, i)).append(':');
            value(sb, args[i]);
        }
        sb.append('}');
    }

    /** The return value (funcgraph-retval, or a captured object) or the exception's class. */
    static void ret(StringBuilder sb, Jvm jvm, int ip, boolean threw, ArgValue ret, long retval) {
        if (threw) {
            if (ret != null && ret.kind == ArgValue.THROWN) {
                Json.str(sb.append(",\"exception\":"), ret.text);
            }
            return;
        }
        if (ret == null && !jvm.option("funcgraph-retval")) {
            return;
        }
        String v = ArgText.value(ret, retval, jvm.function(ip), jvm.option("funcgraph-retval-hex"));
        if (v != null) {
            Json.str(sb.append(",\"return\":"), v);
        }
    }

    private static void value(StringBuilder sb, ArgValue v) {
        Object p = v.plain();
        if (p == null) {
            sb.append("null");
        } else if (p instanceof Long || p instanceof Boolean) {
            sb.append(p);
        } else if (p instanceof Double && Double.isFinite((Double) p)) {
            sb.append(p);
        } else {
            Json.str(sb, v.toString());
        }
    }
}
