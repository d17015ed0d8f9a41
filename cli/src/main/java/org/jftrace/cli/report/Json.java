package org.jftrace.cli.report;

/** Just enough JSON writing for the reports (no dependency in the agent jar). */
final class Json {

    private Json() {
    }

    static StringBuilder str(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '<': sb.append("\\u003c"); break; // safe inside an HTML <script>
                case '>': sb.append("\\u003e"); break;
                case '&': sb.append("\\u0026"); break;
                case '\u2028': sb.append("\\u2028"); break;
                case '\u2029': sb.append("\\u2029"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"');
    }

    /** Nanoseconds as microseconds with 3 decimals, exactly ("12.345"). */
    static StringBuilder micros(StringBuilder sb, long ns) {
        if (ns < 0) {
            sb.append('-');
            ns = -ns;
        }
        long r = ns % 1000;
        sb.append(ns / 1000).append('.');
        if (r < 100) {
            sb.append('0');
        }
        if (r < 10) {
            sb.append('0');
        }
        return sb.append(r);
    }
}
