package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jftrace report -f perfetto}: Perfetto's protobuf trace, decoded by the real protoc against a
 * .proto of the fields jftrace writes (test resources, Perfetto's field numbers), compared with
 * jftrace's own text of the same recording.
 */
class PerfettoIT {

    static final Path PROTO_DIR = ChildJvm.TEST_CLASSES.resolve("perfetto");

    /** A message of protoc's text format: each field's values, in order (a String or a nested Msg). */
    static final class Msg {
        final Map<String, List<Object>> fields = new LinkedHashMap<>();

        List<Object> all(String name) {
            return fields.getOrDefault(name, List.of());
        }

        Msg msg(String name) {
            List<Object> v = all(name);
            return v.isEmpty() ? null : (Msg) v.get(0);
        }

        String str(String name) {
            List<Object> v = all(name);
            return v.isEmpty() ? null : (String) v.get(0);
        }

        long num(String name) {
            return Long.parseLong(str(name));
        }
    }

    /** protoc --decode's output, read back. */
    static Msg parse(String text) {
        Deque<Msg> stack = new ArrayDeque<>();
        stack.push(new Msg());
        for (String raw : text.lines().toList()) {
            String l = raw.trim();
            if (l.isEmpty()) {
                continue;
            }
            if (l.equals("}")) {
                stack.pop();
            } else if (l.endsWith(" {")) {
                Msg m = new Msg();
                stack.peek().fields.computeIfAbsent(l.substring(0, l.length() - 2), k -> new ArrayList<>()).add(m);
                stack.push(m);
            } else {
                int c = l.indexOf(": ");
                String v = l.substring(c + 2);
                if (v.startsWith("\"")) {
                    v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\'", "'").replace("\\n", "\n")
                            .replace("\\\\", "\\");
                }
                stack.peek().fields.computeIfAbsent(l.substring(0, c), k -> new ArrayList<>()).add(v);
            }
        }
        return stack.pop();
    }

    static boolean installed(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    static Msg decode(Path trace) throws Exception {
        Path out = trace.resolveSibling(trace.getFileName() + ".txt");
        Process p = new ProcessBuilder("protoc", "--proto_path=" + PROTO_DIR, "--decode=perfetto.protos.Trace", "minimal.proto")
                .redirectInput(trace.toFile()).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor()).as(err).isZero();
        assertThat(err).isEmpty();
        return parse(Files.readString(out));
    }

    /** The calls of each thread's track, as GraphCalls reads text: "depth name µs" in the order they began. */
    static final class Slices {
        final Map<Long, List<String>> calls = new TreeMap<>();
        final Map<Long, String> threadNames = new TreeMap<>();
        final List<String> functions = new ArrayList<>();
        long slices;
        /** Begin events without their end. */
        long unclosed;
    }

    static Slices slices(Msg trace) {
        Slices s = new Slices();
        Map<Long, Long> tidOf = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        Map<Long, String> strings = new HashMap<>();
        Map<Long, Deque<Object[]>> open = new HashMap<>();
        Map<Long, Long> clock = new HashMap<>();
        for (Object o : trace.all("packet")) {
            Msg p = (Msg) o;
            long seq = p.num("trusted_packet_sequence_id");
            Msg snapshot = p.msg("clock_snapshot");
            if (snapshot != null) {
                for (Object c : snapshot.all("clocks")) {
                    if (((Msg) c).num("clock_id") == 64) {
                        clock.put(seq, ((Msg) c).num("timestamp"));
                    }
                }
                assertThat(p.num("sequence_flags")).as("the first packet clears the incremental state").isEqualTo(1);
                continue;
            }
            Msg track = p.msg("track_descriptor");
            if (track != null && track.msg("thread") != null) {
                tidOf.put(track.num("uuid"), track.msg("thread").num("tid"));
                s.threadNames.put(track.msg("thread").num("tid"), track.msg("thread").str("thread_name"));
            }
            Msg interned = p.msg("interned_data");
            if (interned != null) {
                for (Object e : interned.all("event_names")) {
                    names.put(((Msg) e).num("iid"), ((Msg) e).str("name"));
                }
                for (Object e : interned.all("debug_annotation_string_values")) {
                    strings.put(((Msg) e).num("iid"), ((Msg) e).str("str"));
                }
            }
            Msg event = p.msg("track_event");
            if (event == null) {
                continue;
            }
            long ts;
            if (p.str("timestamp_clock_id") != null) { // absolute, on the trace clock
                ts = p.num("timestamp");
            } else {
                ts = clock.get(seq) + p.num("timestamp");
                clock.put(seq, ts);
            }
            Long tid = tidOf.get(event.num("track_uuid"));
            String type = event.str("type");
            if (tid == null || type.equals("TYPE_INSTANT")) {
                continue;
            }
            List<String> list = s.calls.computeIfAbsent(tid, k -> new ArrayList<>());
            Deque<Object[]> stack = open.computeIfAbsent(tid, k -> new ArrayDeque<>());
            if (type.equals("TYPE_SLICE_BEGIN")) {
                String name = names.get(event.num("name_iid"));
                stack.push(new Object[] {list.size(), ts});
                list.add((stack.size()) + " " + name);
                for (Object a : event.all("debug_annotations")) {
                    s.functions.add(strings.get(((Msg) a).num("string_value_iid")));
                }
            } else {
                Object[] b = stack.pop();
                int i = (Integer) b[0];
                list.set(i, list.get(i) + " " + GraphCalls.micros(ts - (Long) b[1]));
                s.slices++;
            }
        }
        s.unclosed = open.values().stream().mapToLong(Deque::size).sum();
        return s;
    }

    @Test
    void protocReadsOneTrackPerThreadAndSlicesNestedAsTheTextReport(@TempDir Path tmp) throws Exception {
        assumeTrue(installed("protoc"), "protoc is not installed (Debian: apt-get install -y protobuf-compiler): the Perfetto"
                + " trace is not decoded");
        Path data = TraceDatIT.recordShop(tmp, 200);
        Path trace = tmp.resolve("shop.pftrace");
        ChildJvm rep = RecordCommandIT.jftrace("report", "-f", "perfetto", "-o", trace.toString(), data.toString());
        assertThat(rep.exitCode).as(rep.toString()).isZero();
        Slices s = slices(decode(trace));

        Map<Long, List<String>> expected = GraphCalls.jftrace(RecordCommandIT.jftrace("report", data.toString()).out);
        assertThat(s.calls).isEqualTo(expected);
        long calls = expected.values().stream().mapToLong(List::size).sum();
        assertThat(calls).isGreaterThan(2000);
        assertThat(s.slices).isEqualTo(calls);
        assertThat(s.unclosed).isZero();
        assertThat(s.threadNames).containsValues("main", "auditor");
        // each slice names its function with the descriptor, as the JSON's args.function does
        assertThat(s.functions).hasSize((int) calls).allMatch(f -> f.startsWith("com.example.shop.") && f.contains("("));
        assertThat(rep.err).contains(String.format(java.util.Locale.ROOT, "wrote %,d slices", calls));
        double perCall = (double) Files.size(trace) / calls;
        assertThat(perCall).as("bytes per call").isLessThanOrEqualTo(40);
    }

    /** A slice as Perfetto's trace processor makes it: its name and the annotations of its begin and end events (or its instant event). */
    record Slice(String name, Map<String, Object> args) {
    }

    /**
     * The slices and instants of the trace in the order they began, each slice with its begin and end events'
     * annotations merged (the trace processor adds an end event's to the slice as it closes it).
     * A value is a Boolean, Long, Double or String as the annotation is typed; a dict is a Map.
     */
    static List<Slice> sliceArgs(Msg trace) {
        Map<Long, String> names = new HashMap<>();
        Map<Long, String> annotationNames = new HashMap<>();
        Map<Long, String> strings = new HashMap<>();
        List<Slice> slices = new ArrayList<>();
        Map<Long, Deque<Slice>> open = new HashMap<>();
        for (Object o : trace.all("packet")) {
            Msg p = (Msg) o;
            Msg interned = p.msg("interned_data");
            if (interned != null) {
                for (Object e : interned.all("event_names")) {
                    names.put(((Msg) e).num("iid"), ((Msg) e).str("name"));
                }
                for (Object e : interned.all("debug_annotation_names")) {
                    annotationNames.put(((Msg) e).num("iid"), ((Msg) e).str("name"));
                }
                for (Object e : interned.all("debug_annotation_string_values")) {
                    strings.put(((Msg) e).num("iid"), ((Msg) e).str("str"));
                }
            }
            Msg event = p.msg("track_event");
            if (event == null) {
                continue;
            }
            Deque<Slice> stack = open.computeIfAbsent(event.num("track_uuid"), k -> new ArrayDeque<>());
            Slice s;
            if (event.str("type").equals("TYPE_SLICE_END")) {
                s = stack.pop();
            } else {
                s = new Slice(event.str("name_iid") == null ? event.str("name") : names.get(event.num("name_iid")),
                        new LinkedHashMap<>());
                slices.add(s);
                if (event.str("type").equals("TYPE_SLICE_BEGIN")) {
                    stack.push(s);
                }
            }
            for (Object a : event.all("debug_annotations")) {
                s.args().put(annotationNames.get(((Msg) a).num("name_iid")), annotationValue((Msg) a, annotationNames, strings));
            }
        }
        return slices;
    }

    private static Object annotationValue(Msg a, Map<Long, String> annotationNames, Map<Long, String> strings) {
        if (a.str("bool_value") != null) {
            return Boolean.parseBoolean(a.str("bool_value"));
        } else if (a.str("int_value") != null) {
            return a.num("int_value");
        } else if (a.str("uint_value") != null) {
            return a.num("uint_value");
        } else if (a.str("double_value") != null) {
            return Double.parseDouble(a.str("double_value"));
        } else if (a.str("string_value") != null) {
            return a.str("string_value");
        } else if (a.str("string_value_iid") != null) {
            return strings.get(a.num("string_value_iid"));
        }
        Map<String, Object> dict = new LinkedHashMap<>();
        for (Object e : a.all("dict_entries")) {
            dict.put(annotationNames.get(((Msg) e).num("name_iid")), annotationValue((Msg) e, annotationNames, strings));
        }
        return dict;
    }

    @Test
    void slicesCarryArgumentsTypedAndTheReturnValueOrExceptionAsAnnotations(@TempDir Path tmp) throws Exception {
        assumeTrue(installed("protoc"), "protoc is not installed (Debian: apt-get install -y protobuf-compiler): the Perfetto"
                + " trace is not decoded");
        Path data = tmp.resolve("args.jftrace");
        ChildJvm r = RecordCommandIT.jftrace("record", "--include", "itest.ArgsApp", "-n", "itest.ArgsApp.main",
                "-O", "funcgraph-args", "-O", "funcgraph-retval", "--data", data.toString(), "--",
                ChildJvm.java(), "-cp", ChildJvm.TEST_CLASSES.toString(), "itest.ArgsApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        String item = ArgsIT.item(r);
        Path trace = tmp.resolve("args.pftrace");
        ChildJvm rep = RecordCommandIT.jftrace("report", "-f", "perfetto", "-o", trace.toString(), data.toString());
        assertThat(rep.exitCode).as(rep.toString()).isZero();
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        for (Slice s : sliceArgs(decode(trace))) {
            byName.put(s.name(), s.args());
        }
        assertThat(byName).containsOnlyKeys("itest.ArgsApp.order", "itest.ArgsApp.label", "itest.ArgsApp.total",
                "itest.ArgsApp.check", "itest.ArgsApp.pick");

        Map<String, Object> order = byName.get("itest.ArgsApp.order");
        assertThat(order.get("function")).isEqualTo("itest.ArgsApp.order(Ljava/lang/String;IDCZLitest/ArgsItem;)Ljava/lang/String;");
        assertThat(order.get("arguments")).isEqualTo(Map.of("name", "\"widget\"", "count", 3L, "price", 2.5, "grade", "'x'",
                "fresh", true, "item", "ArgsItem@" + item));
        assertThat(order.get("return")).isEqualTo("\"widget*3x\"");
        assertThat(byName.get("itest.ArgsApp.label")).containsEntry("arguments", Map.of("name", "\"widget\"", "count", 3L))
                .containsEntry("return", "\"widget*3\"");

        Map<String, Object> total = byName.get("itest.ArgsApp.total");
        assertThat(total.get("arguments")).as("in order, the seventh left out").hasToString(
                "{a=1, b=2, c=3, d=4, e=5, f=6, ...=...}").isEqualTo(Map.of("a", 1L, "b", 2L, "c", 3L, "d", 4L, "e", 5L,
                "f", 6L, "...", "..."));
        assertThat(total.get("return")).as("a long return is an int annotation").isEqualTo(28L);

        Map<String, Object> check = byName.get("itest.ArgsApp.check");
        assertThat(check.get("arguments")).isEqualTo(Map.of("s", "null"));
        assertThat(check).containsEntry("threw", true).containsEntry("exception", "java.lang.IllegalArgumentException")
                .doesNotContainKey("return");
        assertThat(byName.get("itest.ArgsApp.pick")).containsEntry("arguments", Map.of("item", "ArgsItem@" + item))
                .containsEntry("return", "ArgsItem@" + item);

        // the function tracer's calls are instant events: the arguments, no return
        Path calls = tmp.resolve("calls.jftrace");
        ChildJvm f = RecordCommandIT.jftrace("record", "-p", "function", "--include", "itest.ArgsApp", "-n", "itest.ArgsApp.main",
                "-O", "func-args", "--args-strlen", "4", "--data", calls.toString(), "--",
                ChildJvm.java(), "-cp", ChildJvm.TEST_CLASSES.toString(), "itest.ArgsApp");
        assertThat(f.exitCode).as(f.toString()).isZero();
        Path callsTrace = tmp.resolve("calls.pftrace");
        rep = RecordCommandIT.jftrace("report", "-f", "perfetto", "-o", callsTrace.toString(), calls.toString());
        assertThat(rep.exitCode).as(rep.toString()).isZero();
        Map<String, Map<String, Object>> instants = new LinkedHashMap<>();
        for (Slice s : sliceArgs(decode(callsTrace))) {
            instants.put(s.name(), s.args());
        }
        assertThat(instants.get("itest.ArgsApp.label")).containsEntry("arguments", Map.of("name", "\"widg\"...", "count", 3L))
                .containsEntry("parent", "itest.ArgsApp.order(Ljava/lang/String;IDCZLitest/ArgsItem;)Ljava/lang/String;")
                .doesNotContainKey("return");
        assertThat(instants.get("itest.ArgsApp.check")).containsEntry("arguments", Map.of("s", "null"));
    }

    @Test
    void lostRecordsAreInstantEventsOnTheProcessTrack(@TempDir Path tmp) throws Exception {
        assumeTrue(installed("protoc"), "protoc is not installed (Debian: apt-get install -y protobuf-compiler): the Perfetto"
                + " trace is not decoded");
        Path data = tmp.resolve("fast.jftrace");
        ChildJvm r = ChildJvm.run("tracer=function_graph,filter=itest.ThreadChurnApp.work,buffer_size_kb=1,data=" + data,
                List.of("-cp", ChildJvm.TEST_CLASSES.toString()), "itest.ThreadChurnApp", "3", "100000");
        assertThat(r.exitCode).as(r.toString()).isZero();
        java.util.regex.Matcher summary = java.util.regex.Pattern.compile("LOST (\\d+) of (\\d+) events").matcher(r.err);
        assertThat(summary.find()).as(r.err).isTrue();
        Path trace = tmp.resolve("fast.pftrace");
        ChildJvm rep = RecordCommandIT.jftrace("report", "-f", "perfetto", "-o", trace.toString(), data.toString());
        assertThat(rep.exitCode).as(rep.toString()).isZero();
        Msg decoded = decode(trace);
        long process = -1;
        long lost = 0;
        for (Object o : decoded.all("packet")) {
            Msg p = (Msg) o;
            Msg d = p.msg("track_descriptor");
            if (d != null && d.msg("process") != null) {
                process = d.num("uuid");
            }
            Msg e = p.msg("track_event");
            if (e != null && e.str("name") != null && e.str("name").startsWith("LOST ")) {
                assertThat(e.num("track_uuid")).isEqualTo(process);
                lost += ((Msg) e.all("debug_annotations").get(1)).num("uint_value");
            }
        }
        assertThat(lost).isEqualTo(Long.parseLong(summary.group(1))).isPositive();
        // the slices stay balanced: every begin has its end on its track, whatever was lost
        Slices s = slices(decoded);
        assertThat(s.calls).isNotEmpty();
        assertThat(s.unclosed).isZero();
    }
}
