package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * func-args, funcgraph-args and funcgraph-retval in a real JVM with the agent: the exact lines of the
 * trace, and the same values through the data file into report's text and JSON.
 */
class ArgsIT {

    static final String CP = ChildJvm.TEST_CLASSES.toString();

    static ChildJvm jftrace(String... args) throws Exception {
        return RecordCommandIT.jftrace(args);
    }

    /** The hash the program printed for its ArgsItem. */
    static String item(ChildJvm r) {
        return r.out.lines().filter(l -> l.startsWith("item ")).findFirst().orElseThrow().substring(5);
    }

    /** The FUNCTION column of each line naming {@code itest.}, after the timestamp or the graph's bars. */
    static List<String> calls(String trace) {
        return trace.lines().filter(l -> !l.startsWith("#") && l.contains("itest."))
                .map(l -> l.contains("|  ") ? l.substring(l.indexOf("|  ") + 3) : l.substring(l.indexOf(": ") + 2))
                .collect(Collectors.toList());
    }

    @Test
    void funcArgsPrintsEachCallsArgumentsByName(@TempDir Path tmp) throws Exception {
        ChildJvm r = jftrace("record", "-p", "function", "--include", "itest.ArgsApp", "-n", "itest.ArgsApp.main",
                "-O", "func-args", "--", ChildJvm.java(), "-cp", CP, "itest.ArgsApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        String item = item(r);
        assertThat(calls(r.out.substring(r.out.indexOf("# tracer:")))).containsExactly(
                "itest.ArgsApp.order(name=\"widget\", count=3, price=2.5, grade='x', fresh=true, item=ArgsItem@" + item + ")",
                "itest.ArgsApp.label(name=\"widget\", count=3) <-itest.ArgsApp.order",
                "itest.ArgsApp.total(a=1, b=2, c=3, d=4, e=5, f=6, ...)",
                "itest.ArgsApp.check(s=null)",
                "itest.ArgsApp.pick(item=ArgsItem@" + item + ")");
    }

    @Test
    void funcgraphArgsAndRetvalPrintTheKernelsFormatLiveAndInTheReport(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("args.jftrace");
        Path text = tmp.resolve("args.txt");
        ChildJvm r = jftrace("record", "--clock", "counter", "--include", "itest.ArgsApp", "-n", "itest.ArgsApp.main",
                "-O", "funcgraph-args", "-O", "funcgraph-retval", "-O", "nofuncgraph-duration", "--args-strlen", "4",
                "--data", data.toString(), "-o", text.toString(), "--", ChildJvm.java(), "-cp", CP, "itest.ArgsApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        String item = item(r);
        String live = Files.readString(text);
        assertThat(calls(live)).containsExactly(
                "itest.ArgsApp.order(name=\"widg\"..., count=3, price=2.5, grade='x', fresh=true, item=ArgsItem@" + item + ") {",
                "  itest.ArgsApp.label(name=\"widg\"..., count=3); /* ret=\"widg\"... */",
                "} /* itest.ArgsApp.order ret=\"widg\"... */",
                "itest.ArgsApp.total(a=1, b=2, c=3, d=4, e=5, f=6, ...); /* ret=28 */",
                "itest.ArgsApp.check(s=null); /* threw java.lang.IllegalArgumentException */",
                "itest.ArgsApp.pick(item=ArgsItem@" + item + "); /* ret=ArgsItem@" + item + " */");

        ChildJvm rep = jftrace("report", data.toString());
        assertThat(rep.exitCode).as(rep.toString()).isZero();
        assertThat(rep.out).isEqualTo(live);

        Path json = tmp.resolve("args.json");
        ChildJvm js = jftrace("report", "--format", "chrome-json", "-o", json.toString(), data.toString());
        assertThat(js.exitCode).as(js.toString()).isZero();
        JsonNode order = null;
        JsonNode check = null;
        JsonNode total = null;
        for (JsonNode e : new ObjectMapper().readTree(json.toFile()).get("traceEvents")) {
            String name = e.path("name").asText();
            if (name.equals("itest.ArgsApp.order")) {
                order = e.get("args");
            } else if (name.equals("itest.ArgsApp.check")) {
                check = e.get("args");
            } else if (name.equals("itest.ArgsApp.total")) {
                total = e.get("args");
            }
        }
        assertThat(order.get("arguments").get("count").asLong()).isEqualTo(3);
        assertThat(order.get("arguments").get("price").asDouble()).isEqualTo(2.5);
        assertThat(order.get("arguments").get("fresh").asBoolean()).isTrue();
        assertThat(order.get("arguments").get("name").asText()).isEqualTo("\"widg\"...");
        assertThat(order.get("arguments").get("item").asText()).isEqualTo("ArgsItem@" + item);
        assertThat(order.get("return").asText()).isEqualTo("\"widg\"...");
        assertThat(total.get("return").asText()).isEqualTo("28");
        assertThat(total.get("arguments").has("...")).isTrue();
        assertThat(check.get("exception").asText()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(check.get("arguments").get("s").isNull()).isTrue();
    }
}
