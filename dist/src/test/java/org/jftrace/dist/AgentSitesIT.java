package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The agent's sites in real JVMs: every kind of class the issue names must link and trace. */
class AgentSitesIT {

    static final String CP = ChildJvm.TEST_CLASSES.toString();

    @Test
    void classPathApplicationIsTracedWithPairedExitsAndListsItsFunctions() throws Exception {
        ChildJvm r = ChildJvm.run(null, List.of("-cp", CP), "itest.PlainApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.lines()).containsSubsequence(
                "> itest.PlainApp.work(I)I depth=1",
                "> itest.PlainApp.square(I)I depth=2",
                "< itest.PlainApp.square(I)I = 9",
                "< itest.PlainApp.work(I)I = 10",
                "result 10",
                "> itest.PlainApp.fail()V depth=1",
                "< itest.PlainApp.fail()V threw java.lang.IllegalStateException",
                "caught",
                "after 5",
                "enabled_functions=true",
                "itest.PlainApp.main([Ljava/lang/String;)V");
        assertThat(r.out).doesNotContain("> itest.PlainApp.work(I)I depth=1\n> itest.PlainApp.square(I)I depth=2\n< itest.PlainApp.square(I)I = 4");
        assertThat(r.err).doesNotContain("jftrace:");
    }

    @Test
    void switchingFunctionsDefinesNoClassPerSwitchedFunction() throws Exception {
        // Interpreted (-Xint), every call runs the site's chain where the JDK counts method handle
        // calls; built per site, each switch would customize one handle, a class, per function.
        ChildJvm r = ChildJvm.run("control=0,jmx=0,warmup=0",
                List.of("-Xint", "-Djftrace.keyOffDelayMillis=0", "-cp", CP), "itest.AftermathApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        List<String> phases = r.lines().stream().filter(l -> l.startsWith("cycle ")).toList();
        assertThat(phases).as(r.toString()).hasSize(4);
        // The first phase also spins the JDK's shared forms of the chains' shapes; after that, a
        // switch of the 40 functions may define a few classes, not one per function.
        for (String phase : phases.subList(1, 4)) {
            int defined = Integer.parseInt(phase.substring(phase.lastIndexOf(' ') + 1));
            assertThat(defined).as(phase).isLessThan(10);
        }
    }

    @Test
    void classOfALoaderWithNoParentLinksToTheBootRuntime() throws Exception {
        ChildJvm r = ChildJvm.run(null, List.of("-cp", CP), "itest.NoParentLoaderApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.lines()).containsSubsequence("loader true",
                "> itest.Isolated.hello(Ljava/lang/String;)Ljava/lang/String; depth=1",
                "> itest.Isolated.greet(Ljava/lang/String;)Ljava/lang/String; depth=2",
                "< itest.Isolated.greet(Ljava/lang/String;)Ljava/lang/String; = hello jvm",
                "< itest.Isolated.hello(Ljava/lang/String;)Ljava/lang/String; = hello jvm!",
                "result hello jvm!");
    }

    @Test
    void classOfANamedModuleIsTracedAndSelectedByMod(@TempDir Path tmp) throws Exception {
        Path src = Path.of(AgentSitesIT.class.getResource("/modsrc/itest.mod").toURI());
        Path out = tmp.resolve("itest.mod");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", out.toString()));
        try (var files = Files.walk(src)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        assertThat(javac.run(null, null, null, args.toArray(new String[0]))).isZero();
        ChildJvm r = ChildJvm.run(null, List.of("-cp", CP, "--module-path", tmp.toString(), "--add-modules", "itest.mod"),
                "itest.ModuleDriver");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.lines()).containsSubsequence("named true itest.mod",
                "> itest.mod.Greeter.greet(Ljava/lang/String;)Ljava/lang/String; depth=1",
                "> itest.mod.Greeter.shout(Ljava/lang/String;)Ljava/lang/String; depth=2",
                "< itest.mod.Greeter.shout(Ljava/lang/String;)Ljava/lang/String; = HI MODULE",
                "< itest.mod.Greeter.greet(Ljava/lang/String;)Ljava/lang/String; = HI MODULE",
                "result HI MODULE");
    }

    @Test
    void classFilesOlderThanVersion51GetSitesThroughTheFallback(@TempDir Path tmp) throws Exception {
        writeLegacy(tmp, "itest/Legacy49", Opcodes.V1_5);
        writeLegacy(tmp, "itest/Legacy50", Opcodes.V1_6);
        ChildJvm r = ChildJvm.run("report=" + tmp.resolve("report.txt"),
                List.of("-cp", CP + File.pathSeparator + tmp), "itest.LegacyDriver");
        assertThat(r.exitCode).as(r.toString()).isZero();
        for (String c : List.of("itest.Legacy49", "itest.Legacy50")) {
            assertThat(r.lines()).as(r.toString()).containsSubsequence(
                    "> " + c + ".<init>()V depth=1",
                    "> " + c + ".add(II)I depth=1", "< " + c + ".add(II)I = 5", "add 5",
                    "> " + c + ".big(J)J depth=1", "< " + c + ".big(J)J = 15", "big 15",
                    "> " + c + ".boom()V depth=1", "< " + c + ".boom()V threw java.lang.IllegalStateException",
                    "caught java.lang.IllegalStateException");
        }
        assertThat(r.lines()).contains("untraced add 2");
        assertThat(Files.readString(tmp.resolve("report.txt"))).contains("# classes left unchanged: 0");
    }

    /** A class file of the given (pre-invokedynamic) version, written with ASM as old compilers did. */
    static void writeLegacy(Path dir, String name, int version) throws Exception {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "add", "(II)I", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ILOAD, 0);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitInsn(Opcodes.IADD);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "big", "(J)J", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.LLOAD, 1);
        mv.visitLdcInsn(3L);
        mv.visitInsn(Opcodes.LMUL);
        mv.visitInsn(Opcodes.LRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "boom", "()V", null, null);
        mv.visitCode();
        mv.visitTypeInsn(Opcodes.NEW, "java/lang/IllegalStateException");
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "()V", false);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        Path f = dir.resolve(name + ".class");
        Files.createDirectories(f.getParent());
        Files.write(f, cw.toByteArray());
    }

    @Test
    void classWhoseLoaderCannotSeeTheRuntimeLoadsUnchangedAndIsReported(@TempDir Path tmp) throws Exception {
        Path report = tmp.resolve("report.txt");
        ChildJvm r = ChildJvm.run("report=" + report, List.of("-cp", CP), "itest.HostileLoaderApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("result hello hostile!");
        assertThat(Files.readString(report)).contains(
                "itest.Isolated\tits class loader does not delegate org.jftrace to the boot class path")
                .as("a text file ends with a newline").endsWith("\n");
    }

    @Test
    void badAgentOptionIsOneLineNamingItAndTheApplicationRunsUntouched() throws Exception {
        ChildJvm r = ChildJvm.run("include=itest.*,tracer=function,fliter=itest.*", List.of("-cp", CP), "itest.PlainApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.err.lines().filter(l -> l.startsWith("jftrace:")).toList())
                .containsExactly("jftrace: unknown agent option 'fliter' (known: include, exclude, filter, notrace, "
                        + "graph_function, graph_notrace, trace_options, tracer, output, report, clock, buffer_size_kb, "
                        + "max_graph_depth, tracing_thresh, func_args_strlen, pid, verbose, instance, control, jmx, data, data_summary, ended_budget_kb, warmup, check, "
                        + "function_profile_enabled, yes); tracing is off");
        assertThat(r.out).contains("result 10");
    }
}
