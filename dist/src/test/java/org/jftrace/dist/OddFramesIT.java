package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classes with stack map frames that javac never emits ({@link itest.OddFrames}) link, run and trace
 * in a real JVM with the agent: the sites type-check against the frame in force wherever they go.
 */
class OddFramesIT {

    static final List<String> RESULTS = List.of("kept a", "kept null", "length 3", "length -1",
            "fail caught java.lang.IllegalStateException", "countdown 0", "dead m", "dead none", "reused ReusedThis",
            "many m", "many null", "broken java.lang.ClassFormatError");

    @TempDir
    static Path classes;
    static String cp;

    @BeforeAll
    static void writeClasses() throws Exception {
        itest.OddFrames.write(classes);
        cp = ChildJvm.TEST_CLASSES + File.pathSeparator + classes;
    }

    @Test
    void oddFramesRunTheSameWithoutTheAgent() throws Exception {
        ChildJvm r = ChildJvm.exec(List.of(ChildJvm.java(), "-cp", cp, "itest.OddFramesDriver"));
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.lines()).containsExactlyElementsOf(RESULTS);
    }

    @Test
    void sitesInOddFramesVerifyAndTraceWithoutTheSafetyNet() throws Exception {
        Path report = classes.resolve("report-nocheck.txt");
        ChildJvm r = ChildJvm.run("check=0,report=" + report, List.of("-cp", cp), "itest.OddFramesDriver", "trace");
        assertTracedAndUnchanged(r, report);
    }

    @Test
    void sitesInOddFramesPassTheSiteCheck() throws Exception {
        Path report = classes.resolve("report-check.txt");
        ChildJvm r = ChildJvm.run("check=1,report=" + report, List.of("-cp", cp), "itest.OddFramesDriver", "trace");
        assertTracedAndUnchanged(r, report);
    }

    private static void assertTracedAndUnchanged(ChildJvm r, Path report) throws Exception {
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.err).doesNotContain("VerifyError").doesNotContain("jftrace:");
        assertThat(r.lines().stream().filter(l -> !l.startsWith("> ") && !l.startsWith("< ")).toList())
                .containsExactlyElementsOf(RESULTS);
        assertThat(r.lines()).containsSubsequence(
                "> itest.odd.ChoppedCtor.<init>(Ljava/lang/Object;Ljava/lang/Iterable;)V depth=1",
                "< itest.odd.ChoppedCtor.<init>(Ljava/lang/Object;Ljava/lang/Iterable;)V = 0",
                "kept a",
                "> itest.odd.Chopped.length(Ljava/lang/String;)I depth=1",
                "< itest.odd.Chopped.length(Ljava/lang/String;)I = 3",
                "length 3",
                "> itest.odd.Chopped.length(Ljava/lang/String;)I depth=1",
                "< itest.odd.Chopped.length(Ljava/lang/String;)I = -1",
                "length -1",
                "> itest.odd.Chopped.fail(Ljava/lang/String;)V depth=1",
                "< itest.odd.Chopped.fail(Ljava/lang/String;)V threw java.lang.IllegalStateException",
                "fail caught java.lang.IllegalStateException",
                "> itest.odd.Chopped.countdown(I)I depth=1",
                "< itest.odd.Chopped.countdown(I)I = 0",
                "countdown 0",
                "> itest.odd.DeadArgs.<init>(ZLjava/lang/String;)V depth=1",
                "< itest.odd.DeadArgs.<init>(ZLjava/lang/String;)V = itest.odd.DeadArgs: m",
                "dead m",
                "> itest.odd.ReusedThis.<init>()V depth=1",
                "< itest.odd.ReusedThis.<init>()V = 0",
                "reused ReusedThis",
                "> itest.odd.ManySupers.<init>(ILjava/lang/String;)V depth=1",
                "< itest.odd.ManySupers.<init>(ILjava/lang/String;)V = itest.odd.ManySupers: m",
                "many m",
                "> itest.odd.ManySupers.<init>(ILjava/lang/String;)V depth=1",
                "< itest.odd.ManySupers.<init>(ILjava/lang/String;)V = itest.odd.ManySupers",
                "many null");
        String rep = Files.readString(report);
        // Only the class file that cannot be parsed is left unchanged, and the report says why.
        assertThat(rep).contains("# classes left unchanged: 1").contains("# methods left without sites: 0")
                .containsPattern("(?m)^itest\\.odd\\.Broken\t.*Exception");
    }
}
