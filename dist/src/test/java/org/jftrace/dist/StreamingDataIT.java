package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace data streamed to disk while the program runs, and the memory the tracer may hold. */
class StreamingDataIT {

    private static final Pattern SUMMARY = Pattern.compile("jftrace: (\\d+) events written to (\\S+) \\((\\d+) KB\\)"
            + "(?:; LOST (\\d+) of (\\d+) events|, none lost)");

    private static final String CP = ChildJvm.TEST_CLASSES.toString();

    @Test
    void aHundredThousandShortLivedThreadsFinishUnderTheFunctionTracerInA256MbHeap(@TempDir Path tmp) throws Exception {
        Path trace = tmp.resolve("trace.txt");
        // this machine starts about 1,500 threads a second with or without the agent
        ChildJvm r = ChildJvm.exec(List.of(ChildJvm.java(), "-javaagent:" + ChildJvm.JAR.toAbsolutePath()
                + "=tracer=function,filter=itest.ThreadChurnApp.work,output=" + trace, "-Xmx256m", "-cp", CP,
                "itest.ThreadChurnApp", "100000", "3"), 400);
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("done 100000 threads");
        assertThat(r.err).doesNotContain("OutOfMemoryError");
        // the flight recorder keeps the newest ended threads' records, within the budget
        String text = Files.readString(trace);
        Matcher m = Pattern.compile("# entries-in-buffer/entries-written: (\\d+)/(\\d+) ").matcher(text);
        assertThat(m.find()).as(text.substring(0, Math.min(2000, text.length()))).isTrue();
        assertThat(Long.parseLong(m.group(2))).isEqualTo(300_000);
        assertThat(Long.parseLong(m.group(1))).isPositive().isLessThan(300_000);
        assertThat(text).contains("itest.ThreadChurnApp.work");
    }

    @Test
    void theCallsOfTwentyThousandShortLivedThreadsAreAllInTheStreamedData(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("churn.jftrace");
        ChildJvm r = ChildJvm.run("tracer=function,filter=itest.ThreadChurnApp.work,data=" + data,
                List.of("-Xmx256m", "-cp", CP), "itest.ThreadChurnApp", "20000", "3");
        assertThat(r.exitCode).as(r.toString()).isZero();
        Matcher m = summary(r);
        assertThat(m.group(4)).as(r.err).isNull();
        assertThat(Long.parseLong(m.group(1))).isEqualTo(60_000);
        assertThat(Files.size(data)).isPositive();
    }

    @Test
    void everyCallOfARunFiftyTimesLargerThanTheBuffersIsRecordedAndReportedWithNoLoss(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("calls.jftrace");
        // 32,767 records per thread; the main thread and 3 ended threads make 420,000 calls each (51 times
        // a buffer), at 200,000 a second: a buffer absorbs 160 ms of the drain's stalls
        ChildJvm r = RecordCommandIT.jftrace("record", "-p", "function", "-l", "itest.CountedCallsApp.traced",
                "--buffer-size-kb", "1024", "--data", data.toString(), "--",
                ChildJvm.java(), "-cp", CP, "itest.CountedCallsApp", "420000", "3", "200000");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.err).as(r.toString()).contains("jftrace record: 1,680,000 events, none lost");
        ChildJvm report = RecordCommandIT.jftrace("report", data.toString());
        assertThat(report.exitCode).as(report.err).isZero();
        assertThat(report.out).contains("# entries-in-buffer/entries-written: 1680000/1680000 ")
                .doesNotContain("LOST");
        assertThat(report.out.lines().filter(l -> l.endsWith(": itest.CountedCallsApp.traced")).count())
                .isEqualTo(1_680_000);
    }

    @Test
    void aRunFasterThanTheDrainLosesRecordsAndSaysHowMany(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("fast.jftrace");
        // 1 KB = 31 records per thread: the drain cannot visit often enough to keep up with a tight loop
        ChildJvm r = ChildJvm.run("tracer=function_graph,filter=itest.ThreadChurnApp.work,buffer_size_kb=1,data=" + data,
                List.of("-cp", CP), "itest.ThreadChurnApp", "3", "500000");
        assertThat(r.exitCode).as(r.toString()).isZero();
        Matcher m = summary(r);
        assertThat(m.group(4)).as(r.err).isNotNull();
        long kept = Long.parseLong(m.group(1));
        long lost = Long.parseLong(m.group(4));
        long written = Long.parseLong(m.group(5));
        assertThat(lost).isPositive();
        assertThat(kept + lost).isEqualTo(written).isEqualTo(3_000_000);

        ChildJvm text = RecordCommandIT.jftrace("report", data.toString());
        assertThat(text.exitCode).as(text.err).isZero();
        assertThat(text.out).contains("# entries-in-buffer/entries-written: " + kept + "/" + written + " ");
        long marked = 0;
        Matcher lostLine = Pattern.compile("(?m)^CPU:\\d+ \\[LOST (\\d+) EVENTS\\]$").matcher(text.out);
        while (lostLine.find()) {
            marked += Long.parseLong(lostLine.group(1));
        }
        assertThat(marked).isEqualTo(lost);

        Path html = tmp.resolve("fast.html");
        ChildJvm page = RecordCommandIT.jftrace("report", "-f", "html", "-o", html.toString(), data.toString());
        assertThat(page.exitCode).as(page.err).isZero();
        assertThat(Files.readString(html)).contains(String.format(Locale.ROOT, "%,d", lost)).containsIgnoringCase("lost");
    }

    private static Matcher summary(ChildJvm r) {
        Matcher m = SUMMARY.matcher(r.err);
        assertThat(m.find()).as(r.toString()).isTrue();
        return m;
    }
}
