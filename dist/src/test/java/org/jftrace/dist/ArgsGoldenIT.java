package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * func-args, funcgraph-args and funcgraph-retval on a deterministic program (test resource
 * argsrc/itest/ArgsGoldenApp.java) compiled at test time four ways: an argument's name comes from the
 * MethodParameters attribute ({@code -parameters}), else from the LocalVariableTable ({@code -g}), else
 * is {@code argN}; the values print the same whichever way. Each trace's FUNCTION column is compared
 * with a golden file (golden/args/), the identity hashes the program prints written {@code @{name}}.
 */
class ArgsGoldenIT {

    /** How the program is compiled, and whether its trace names the arguments. */
    enum Build {
        LOCAL_VARIABLE_TABLE(true, "-g"),
        METHOD_PARAMETERS(true, "-parameters", "-g:none"),
        BOTH(true, "-parameters", "-g"),
        NEITHER(false, "-g:none");

        final boolean names;
        final List<String> options;

        Build(boolean names, String... options) {
            this.names = names;
            this.options = List.of(options);
        }

        String golden(String trace) {
            return "args/" + trace + (names ? "" : "-no-names") + ".txt";
        }
    }

    static Path compile(Path tmp, Build build) throws Exception {
        Path src = Path.of(ArgsGoldenIT.class.getResource("/argsrc/itest/ArgsGoldenApp.java").toURI());
        Path out = tmp.resolve("classes");
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", out.toString()));
        args.addAll(build.options);
        args.add(src.toString());
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(new String[0]))).isZero();
        return out;
    }

    /** The FUNCTION column, one line each, with the hashes of the program's "hash NAME HEX" lines written @{NAME}. */
    static String column(ChildJvm r, String trace) {
        for (String l : r.out.lines().filter(l -> l.startsWith("hash ")).toList()) {
            String[] p = l.split(" ");
            trace = trace.replace("@" + p[2], "@{" + p[1] + "}");
        }
        return String.join("\n", ArgsIT.calls(trace)) + "\n";
    }

    static ChildJvm record(Path classes, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("record", "--clock", "counter", "--include", "itest.ArgsGoldenApp*",
                "-n", "itest.ArgsGoldenApp.main"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("--", ChildJvm.java(), "-cp", classes.toString(), "itest.ArgsGoldenApp"));
        ChildJvm r = RecordCommandIT.jftrace(cmd.toArray(new String[0]));
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).as("the tracer never calls the arguments' toString or hashCode").contains("caught depth 2");
        return r;
    }

    @ParameterizedTest
    @EnumSource(Build.class)
    void funcgraphArgsAndRetvalMatchTheGoldenFileLiveAndInTheReport(Build build, @TempDir Path tmp) throws Exception {
        Path classes = compile(tmp, build);
        Path data = tmp.resolve("args.jftrace");
        Path text = tmp.resolve("args.txt");
        ChildJvm r = record(classes, "-O", "funcgraph-args", "-O", "funcgraph-retval", "--data", data.toString(),
                "-o", text.toString());
        String live = Files.readString(text);
        assertThat(column(r, live)).isEqualTo(RecordCommandIT.golden(build.golden("funcgraph-args")));

        ChildJvm rep = RecordCommandIT.jftrace("report", data.toString());
        assertThat(rep.exitCode).as(rep.toString()).isZero();
        assertThat(rep.out).as("the data file's names and values print as the live trace's").isEqualTo(live);
    }

    @ParameterizedTest
    @EnumSource(Build.class)
    void funcArgsMatchTheGoldenFile(Build build, @TempDir Path tmp) throws Exception {
        ChildJvm r = record(compile(tmp, build), "-p", "function", "-O", "func-args");
        assertThat(column(r, r.out.substring(r.out.indexOf("# tracer:")))).isEqualTo(
                RecordCommandIT.golden(build.golden("func-args")));
    }

    @Test
    void funcgraphRetvalHexPrintsIntegerReturnsInHex(@TempDir Path tmp) throws Exception {
        Path text = tmp.resolve("args.txt");
        ChildJvm r = record(compile(tmp, Build.LOCAL_VARIABLE_TABLE), "-O", "funcgraph-retval", "-O", "funcgraph-retval-hex",
                "-O", "nofuncgraph-duration", "-o", text.toString());
        assertThat(column(r, Files.readString(text))).isEqualTo(RecordCommandIT.golden("args/funcgraph-retval-hex.txt"));
    }
}
