package org.jftrace.cli.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jftrace.cli.report.CallTree.FunctionStat;
import org.jftrace.cli.report.CallTree.Node;

/**
 * A self-contained interactive flame graph page: the data, script and style inline, nothing fetched.
 * Two views: total time (top-down, the classic flame graph) and self time (bottom-up: the functions
 * where time was spent, then their callers); hover for figures, click to zoom, search to highlight.
 * Frames are divs carrying their names, so the page's DOM lists them. When records were lost a banner
 * says how many, and the figures they may make too low say so.
 */
public final class FlameGraphHtml {

    private FlameGraphHtml() {
    }

    /** @param loss the banner on missing records, or "" when none are */
    public static String render(String title, String subtitle, String loss, String unit, Node total, Node self,
                                Map<String, FunctionStat> functions) throws IOException {
        String template;
        try (InputStream in = FlameGraphHtml.class.getResourceAsStream("flamegraph.html")) {
            if (in == null) {
                throw new IOException("flamegraph.html is missing from the jar");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Integer> ids = new HashMap<>();
        List<String> names = new ArrayList<>();
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("{\"title\":");
        Json.str(sb, title).append(",\"subtitle\":");
        Json.str(sb, subtitle).append(",\"loss\":");
        Json.str(sb, loss).append(",\"unit\":");
        Json.str(sb, unit).append(",\n\"total\":");
        node(sb, total, ids, names);
        sb.append(",\n\"self\":");
        node(sb, self, ids, names);
        sb.append(",\n\"functions\":[");
        boolean first = true;
        for (FunctionStat f : functions.values()) {
            sb.append(first ? "" : ",").append('[').append(id(f.name, ids, names)).append(',').append(f.calls).append(',')
                    .append(f.total).append(',').append(f.self).append(']');
            first = false;
        }
        sb.append("],\n\"names\":[");
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Json.str(sb, names.get(i));
        }
        sb.append("]}");
        String escapedTitle = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        int d = template.indexOf("__DATA__");
        return template.substring(0, d).replace("__TITLE__", escapedTitle) + sb + template.substring(d + 8);
    }

    private static int id(String name, Map<String, Integer> ids, List<String> names) {
        return ids.computeIfAbsent(name, n -> {
            names.add(n);
            return names.size() - 1;
        });
    }

    /** [name, value, self, calls, threw, [children sorted by name], [sample values]?]. */
    private static void node(StringBuilder sb, Node n, Map<String, Integer> ids, List<String> names) {
        sb.append('[').append(id(n.name, ids, names)).append(',').append(n.total).append(',').append(n.self).append(',')
                .append(n.calls).append(',').append(n.threw ? 1 : 0).append(",[");
        List<Node> children = new ArrayList<>(n.children.values());
        children.sort((a, b) -> a.name.compareTo(b.name));
        boolean first = true;
        for (Node c : children) {
            if (c.total <= 0) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            node(sb, c, ids, names);
        }
        sb.append(']');
        if (n.samples != null) {
            sb.append(",[");
            for (int i = 0; i < n.samples.size(); i++) {
                Json.str(sb.append(i > 0 ? "," : ""), n.samples.get(i));
            }
            sb.append(']');
        }
        sb.append(']');
    }
}
