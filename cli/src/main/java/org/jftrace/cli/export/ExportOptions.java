package org.jftrace.cli.export;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --export} option {@code record} and {@code attach} share (a picocli mixin). */
public final class ExportOptions {

    @Option(names = "--export", paramLabel = "SCHEME=URL",
            description = {"Send the traced calls as spans while the program runs: otlp=http://HOST:4318 (OTLP over HTTP,"
                    + " to a Collector, Jaeger or Tempo) or zipkin=http://HOST:9411 (repeatable). Needs function_graph;"
                    + " only calls at least --thresh long, nested as they ran. See docs/export.md."})
    public List<String> values = new ArrayList<>();

    public boolean any() {
        return !values.isEmpty();
    }

    /**
     * The targets, checked against the tracing options before anything starts.
     *
     * @throws IllegalArgumentException one line naming the bad value or option
     */
    public List<ExportTarget> targets(String tracer, String clock) {
        List<ExportTarget> t = new ArrayList<>();
        for (String v : values) {
            t.add(ExportTarget.parse(v));
        }
        if (!t.isEmpty() && !"function_graph".equals(tracer)) {
            throw new IllegalArgumentException("--export needs the function_graph tracer (spans are its calls), not -p "
                    + tracer);
        }
        if (!t.isEmpty() && clock != null && !clock.equals("mono")) {
            throw new IllegalArgumentException("--export needs the mono clock (span times are wall-clock times), not --clock "
                    + clock);
        }
        return t;
    }
}
