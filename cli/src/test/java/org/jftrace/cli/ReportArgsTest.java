package org.jftrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.jftrace.cli.ReportCommandTest.Run;
import org.jftrace.cli.report.ArgText;
import org.jftrace.cli.report.DataFile;
import org.jftrace.cli.report.Merge;
import org.jftrace.data.DataStreamWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arguments and return values through the data file: the reader's records, text and JSON. */
class ReportArgsTest {

    static final String ORDER = "t.Shop.order(Ljava/lang/String;IDCZLt/Item;)Ljava/lang/String;";
    static final String TOTAL = "t.Shop.total(IIIIIII)J";
    static final String CHECK = "t.Shop.check(Ljava/lang/String;)V";

    // value kinds, as ArgEncoder numbers them
    static final int NULL = 0, BOOL = 1, CHAR = 2, INT = 3, DOUBLE = 5, OBJECT = 6, STRING = 7, THROWN = 8, MORE = 9;

    /** Value words: a head with the kinds, then the values' words. */
    static long[] words(int[] kinds, long... values) {
        long head = kinds.length;
        for (int i = 0; i < kinds.length; i++) {
            head |= (long) kinds[i] << (4 + 4 * i);
        }
        long[] w = new long[values.length + 1];
        w[0] = head;
        System.arraycopy(values, 0, w, 1, values.length);
        return w;
    }

    /** A STRING value's words: length and chars kept, then the chars 4 to a word. */
    static long[] string(String kept, int length) {
        long[] w = new long[1 + (kept.length() + 3) / 4];
        w[0] = (long) length << 32 | kept.length();
        for (int i = 0; i < kept.length(); i++) {
            w[1 + i / 4] |= (long) kept.charAt(i) << (16 * (i % 4));
        }
        return w;
    }

    static long[] concat(long[]... parts) {
        int n = 0;
        for (long[] p : parts) {
            n += p.length;
        }
        long[] all = new long[n];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    static Path graphFile(Path tmp) throws Exception {
        Path f = tmp.resolve("args.jftrace");
        try (var out = Files.newOutputStream(f)) {
            DataStreamWriter w = new DataStreamWriter(out, true);
            w.meta("function_graph", "counter", 1, 0, 0,
                    "overwrite\nnofuncgraph-duration\nfuncgraph-retval\nfuncgraph-args\n", "args");
            w.function(1, ORDER);
            w.function(2, TOTAL);
            w.function(3, CHECK);
            w.parameters(1, "name,count,price,grade,fresh,item");
            w.thread(1, 1, "main", false);
            w.beginEvents(0, 1, 10);
            w.entry(10, 1, 1);
            w.args(10, concat(words(new int[] {STRING, INT, DOUBLE, CHAR, BOOL, OBJECT}), string("widg", 6),
                    new long[] {3, Double.doubleToRawLongBits(2.5), 'x', 1, (5L << 32) | 0xabcL}),
                    id -> id == 5 ? "t.Shop$Item" : "?");
            w.entry(11, 2, 2);
            w.args(11, words(new int[] {INT, INT, INT, INT, INT, INT, MORE}, 1, 2, 3, 4, 5, -6), id -> "?");
            w.ret(12, 2, 2, 1, false, 28);
            w.entry(13, 3, 2);
            w.args(13, words(new int[] {NULL}), id -> "?");
            w.ret(14, 3, 2, 1, true, 0);
            w.args(14, words(new int[] {THROWN}, 7), id -> "java.lang.IllegalArgumentException");
            w.ret(15, 1, 1, 5, false, 0);
            w.args(15, concat(words(new int[] {STRING}), string("ok", 2)), id -> "?");
            w.endEvents();
            w.close();
        }
        return f;
    }

    @Test
    void argumentsAndReturnValuesRoundTripIntoTheReadersRecords(@TempDir Path tmp) throws Exception {
        DataFile d = DataFile.read(graphFile(tmp), null);
        List<String> seen = new ArrayList<>();
        Merge.run(d, d.jvms.get(0), (r, c) -> {
            if (r.args() != null) {
                seen.add(r.ip + " args " + ArgText.args(r.args(), d.jvms.get(0).parameters(r.ip)));
            }
            if (r.returned() != null) {
                seen.add(r.ip + " returned " + r.returned());
            }
        }, null);
        assertThat(seen).containsExactly(
                "1 args name=\"widg\"..., count=3, price=2.5, grade='x', fresh=true, item=Item@abc",
                "2 args arg0=1, arg1=2, arg2=3, arg3=4, arg4=5, arg5=-6, ...",
                "3 args arg0=null",
                "3 returned java.lang.IllegalArgumentException",
                "1 returned \"ok\"");
    }

    @Test
    void reportTextPrintsArgumentsAndReturnsAsTheLiveTrace(@TempDir Path tmp) throws Exception {
        Run r = ReportCommandTest.report(graphFile(tmp).toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains(
                " 0)  |  t.Shop.order(name=\"widg\"..., count=3, price=2.5, grade='x', fresh=true, item=Item@abc) {\n"
                + " 0)  |    t.Shop.total(arg0=1, arg1=2, arg2=3, arg3=4, arg4=5, arg5=-6, ...); /* ret=28 */\n"
                + " 0)  |    t.Shop.check(arg0=null); /* threw java.lang.IllegalArgumentException */\n"
                + " 0)  |  } /* t.Shop.order ret=\"ok\" */\n");
    }

    @Test
    void chromeJsonSlicesCarryArgumentsReturnAndException(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("args.json");
        Run r = ReportCommandTest.report("-f", "chrome-json", "-o", json.toString(), graphFile(tmp).toString());
        assertThat(r.code).as(r.err).isZero();
        JsonNode order = null;
        JsonNode check = null;
        JsonNode total = null;
        for (JsonNode e : new ObjectMapper().readTree(json.toFile()).get("traceEvents")) {
            switch (e.path("name").asText()) {
                case "t.Shop.order": order = e.get("args"); break;
                case "t.Shop.check": check = e.get("args"); break;
                case "t.Shop.total": total = e.get("args"); break;
                default: break;
            }
        }
        assertThat(order.get("arguments").get("count").asLong()).isEqualTo(3);
        assertThat(order.get("arguments").get("fresh").asBoolean()).isTrue();
        assertThat(order.get("arguments").get("item").asText()).isEqualTo("Item@abc");
        assertThat(order.get("return").asText()).isEqualTo("\"ok\"");
        assertThat(total.get("return").asText()).isEqualTo("28");
        assertThat(total.get("arguments").get("arg5").asLong()).isEqualTo(-6);
        assertThat(check.get("exception").asText()).isEqualTo("java.lang.IllegalArgumentException");
    }

    @Test
    void jfrEventsCarryArgumentsAndReturnAsFields(@TempDir Path tmp) throws Exception {
        Path jfr = tmp.resolve("args.jfr");
        Run r = ReportCommandTest.report("-f", "jfr", "-o", jfr.toString(), graphFile(tmp).toString());
        assertThat(r.code).as(r.err).isZero();
        Map<String, RecordedEvent> calls = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (e.getEventType().getName().equals("jftrace.FunctionCall")) {
                calls.put(e.getString("method"), e);
            }
        }
        assertThat(calls.get(TOTAL).getString("arguments")).isEqualTo("arg0=1, arg1=2, arg2=3, arg3=4, arg4=5, arg5=-6, ...");
        assertThat(calls.get(TOTAL).getString("returnValue")).isEqualTo("28");
        assertThat(calls.get(CHECK).getString("exception")).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(calls.get(ORDER).getString("returnValue")).isEqualTo("\"ok\"");
    }

    @Test
    void flameGraphTooltipShowsSampleCallsPerFrame(@TempDir Path tmp) throws Exception {
        Run r = ReportCommandTest.report("-f", "html", graphFile(tmp).toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("\"(arg0=null) threw java.lang.IllegalArgumentException\"")
                .contains("\"(arg0=1, arg1=2, arg2=3, arg3=4, arg4=5, arg5=-6, ...) ret=28\"")
                .contains("lines.push(\"e.g. \" + v)");
    }
}
