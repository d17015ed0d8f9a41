package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classes the JVM defines because of jftrace (LambdaForms and other hidden classes) do not grow
 * with the methods that get sites nor with their signatures: the entry sites share one type, and the
 * exits one per return type, so the JDK makes their method handles once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SpunClassesIT {

    static final int CLASSES = 5;
    static final int METHODS_PER_CLASS = 200;
    /** Classes the JVM may define for a thousand methods with sites over what it defines for two. */
    static final int BOUND = 50;

    private static final String[] TYPES = {"int", "long", "double", "float", "String", "Object", "boolean", "int[]", "char", "byte"};

    @Test
    void aThousandMethodsOfTwoHundredSignaturesMakeTheJvmSpinFewMoreClassesThanTwo(@TempDir Path tmp) throws Exception {
        Set<String> signatures = new LinkedHashSet<>();
        Path classes = tmp.resolve("classes");
        compile(tmp.resolve("src"), classes, signatures);
        assertThat(signatures).hasSizeGreaterThanOrEqualTo(200);

        int without = spun(tmp, classes, null);
        // warmup=0: the patch warm-up (with an include, 1 s after startup) spins its own fixed set
        int two = spun(tmp, classes, "include=gen.Main,warmup=0,report=" + tmp.resolve("report-two.txt"));
        int all = spun(tmp, classes, "include=gen.*,warmup=0,report=" + tmp.resolve("report.txt"));
        assertThat(Files.readString(tmp.resolve("report-two.txt"))).contains("# methods with sites: 2\n");
        // every method, each class's run() and constructor, and Main's two
        assertThat(Files.readString(tmp.resolve("report.txt"))).contains("# methods with sites: " + (CLASSES * (METHODS_PER_CLASS + 2) + 2));
        System.out.printf("classes the JVM defined: %d without the agent, %d with sites in 2 methods, %d in %d methods%n",
                without, two, all, CLASSES * (METHODS_PER_CLASS + 2) + 2);
        assertThat(all - two).as("classes the JVM defined for 1,012 methods with sites (%d) over those for 2 (%d)", all, two)
                .isLessThanOrEqualTo(BOUND);
    }

    /** Runs the generated program and counts the hidden and LambdaForm classes the JVM defined. */
    static int spun(Path tmp, Path classes, String agentOptions) throws Exception {
        Path log = tmp.resolve("classload-" + (agentOptions == null ? "without" : "with") + ".log");
        List<String> cmd = new ArrayList<>(List.of(ChildJvm.java()));
        if (agentOptions != null) {
            cmd.add("-javaagent:" + ChildJvm.JAR.toAbsolutePath() + "=" + agentOptions);
        }
        cmd.addAll(List.of("-Xlog:class+load=info:file=" + log, "-cp", classes.toString(), "gen.Main"));
        ChildJvm r = ChildJvm.exec(cmd);
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).as(r.toString()).contains("sum ");
        // LambdaForms and other classes spun at run time; not those mapped from the CDS archive
        return (int) Files.readAllLines(log).stream()
                .filter(l -> l.contains("LambdaForm$") || l.contains("/0x") && !l.contains("shared objects file"))
                .count();
    }

    /**
     * Writes classes gen.G0..G4, each with 200 static and instance methods over 10 parameter types and
     * arities 0 to 4, and a main that calls every one of them.
     */
    static void compile(Path src, Path classes, Set<String> signatures) throws Exception {
        Files.createDirectories(src.resolve("gen"));
        List<String> files = new ArrayList<>();
        StringBuilder main = new StringBuilder("package gen; public final class Main { public static void main(String[] a) {"
                + " long sum = 0;");
        int sig = 0;
        for (int c = 0; c < CLASSES; c++) {
            StringBuilder cls = new StringBuilder("package gen; public final class G" + c + " { static long f;");
            StringBuilder run = new StringBuilder(" public long run() { long s = 0;");
            for (int m = 0; m < METHODS_PER_CLASS; m++, sig++) {
                int arity = sig % 5;
                List<String> params = new ArrayList<>();
                List<String> args = new ArrayList<>();
                int x = sig / 5;
                for (int p = 0; p < arity; p++) {
                    String t = TYPES[(x + p * 3 + sig) % TYPES.length];
                    x /= 2;
                    params.add(t + " p" + p);
                    args.add(zero(t));
                }
                boolean isStatic = (sig & 8) != 0;
                String ret = TYPES[(sig * 7) % TYPES.length];
                signatures.add((isStatic ? "static " : "") + ret + "(" + String.join(",", params).replaceAll(" p\\d", "") + ")");
                cls.append(" public ").append(isStatic ? "static " : "").append(ret).append(" m").append(m).append('(')
                        .append(String.join(", ", params)).append(") { f++; return ").append(value(ret)).append("; }");
                run.append(" s += java.util.Objects.hashCode(m").append(m).append('(').append(String.join(", ", args)).append("));");
            }
            cls.append(run).append(" return s + f; } }");
            Path f = src.resolve("gen").resolve("G" + c + ".java");
            Files.writeString(f, cls.toString());
            files.add(f.toString());
            main.append(" for (int i = 0; i < 3; i++) sum += new G").append(c).append("().run();");
        }
        main.append(" System.out.println(\"sum \" + sum); } }");
        Path m = src.resolve("gen").resolve("Main.java");
        Files.writeString(m, main.toString());
        files.add(m.toString());
        List<String> args = new ArrayList<>(List.of("-d", classes.toString()));
        args.addAll(files);
        assertThat(javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(new String[0]))).isZero();
    }

    private static String zero(String t) {
        switch (t) {
            case "String": return "\"s\"";
            case "Object": return "null";
            case "boolean": return "false";
            case "int[]": return "null";
            case "char": return "'c'";
            case "byte": return "(byte) 1";
            default: return "(" + t + ") 1";
        }
    }

    private static String value(String t) {
        switch (t) {
            case "String": return "\"r\" + f";
            case "Object": return "(Object) Long.valueOf(f)";
            case "boolean": return "f > 1";
            case "int[]": return "new int[] {(int) f}";
            case "char": return "(char) f";
            case "byte": return "(byte) f";
            default: return "(" + t + ") f";
        }
    }
}
