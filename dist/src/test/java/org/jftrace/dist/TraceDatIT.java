package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jftrace report -f trace-dat}, read by the real trace-cmd and opened in KernelShark. */
class TraceDatIT {

    static final String CP = ChildJvm.TEST_CLASSES.toString();

    static ChildJvm jftrace(String... args) throws Exception {
        return RecordCommandIT.jftrace(args);
    }

    static boolean installed(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    static void assumeTraceCmd() {
        assumeTrue(installed("trace-cmd"), "trace-cmd is not installed (Debian: apt-get install -y trace-cmd): the trace.dat"
                + " is not read back");
    }

    static ChildJvm traceCmdReport(Path dat, String... options) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("trace-cmd", "report"));
        cmd.addAll(List.of(options));
        cmd.add(dat.toString());
        ChildJvm r = ChildJvm.exec(cmd);
        assertThat(r.exitCode).as(r.toString()).isZero();
        return r;
    }

    /** The Shop example, its threads named in each line of the text (funcgraph-proc). */
    static Path recordShop(Path tmp, int orders) throws Exception {
        Path data = tmp.resolve("shop.jftrace");
        ChildJvm r = jftrace("record", "--include", "com.example.*", "-O", "funcgraph-proc", "--data", data.toString(), "--",
                ChildJvm.java(), "-cp", ReportIT.examples().toString(), "com.example.shop.Shop", Integer.toString(orders));
        assertThat(r.exitCode).as(r.toString()).isZero();
        return data;
    }

    static Path traceDat(Path data) throws Exception {
        Path dat = data.resolveSibling(data.getFileName() + ".dat");
        ChildJvm rep = jftrace("report", "-f", "trace-dat", "-o", dat.toString(), data.toString());
        assertThat(rep.exitCode).as(rep.toString()).isZero();
        assertThat(rep.err).contains("wrote ").contains(" events on ");
        return dat;
    }

    @Test
    void traceCmdReportShowsTheCallsNestingAndDurationsOfJftracesText(@TempDir Path tmp) throws Exception {
        assumeTraceCmd();
        Path data = recordShop(tmp, 200);
        Path dat = traceDat(data);
        ChildJvm tc = traceCmdReport(dat);
        ChildJvm text = jftrace("report", data.toString());
        Map<Long, List<String>> expected = GraphCalls.jftrace(text.out);
        Map<Long, List<String>> actual = GraphCalls.traceCmd(tc.out);
        assertThat(expected).as(text.out.substring(0, Math.min(3000, text.out.length()))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(expected.values().stream().mapToInt(List::size).sum()).isGreaterThan(2000);
        assertThat(actual).isEqualTo(expected);
        // a task per thread, named (the main thread's id is 1 on JDK 17, 3 on 25); a CPU per buffer; the
        // symbols name the functions
        assertThat(tc.out).containsPattern("(?m)^\\s+main-\\d+\\s+\\[000\\]").containsPattern("(?m)^\\s+auditor-\\d+\\s+\\[001\\]")
                .contains("|  com.example.shop.Shop.main() {").doesNotContain("EVENTS DROPPED");
    }

    @Test
    void theFunctionTracersCallsAreFunctionEventsWithTheirParent(@TempDir Path tmp) throws Exception {
        assumeTraceCmd();
        Path data = tmp.resolve("golden.jftrace");
        ChildJvm r = jftrace("record", "--clock", "counter", "-p", "function", "--include", "itest.GoldenApp", "--data",
                data.toString(), "--", ChildJvm.java(), "-cp", CP, "itest.GoldenApp");
        assertThat(r.exitCode).as(r.toString()).isZero();
        ChildJvm tc = traceCmdReport(traceDat(data), "-O", "parent"); // the function plugin shows the parent on request
        // the counter clock's timestamps are counts: trace-cmd prints them raw, as jftrace's text does
        List<String> calls = tc.out.lines().filter(l -> l.contains(" function: ")).toList();
        ChildJvm text = jftrace("report", data.toString());
        List<String> expected = text.out.lines().filter(l -> l.matches(".*\\[\\d+\\]\\s+\\d+: .*")).toList();
        assertThat(calls).hasSameSizeAs(expected).hasSizeGreaterThan(10);
        Pattern ours = Pattern.compile("^\\s*(\\S+)-(\\d+)\\s+\\[(\\d+)\\]\\s+(\\d+): (\\S+)(?: <-(\\S+))?$");
        Pattern theirs = Pattern.compile("^\\s*(\\S+)-(\\d+)\\s+\\[(\\d+)\\]\\s+(\\d+): function:\\s+(\\S+) <-- (\\S+)$");
        for (int i = 0; i < calls.size(); i++) {
            Matcher a = theirs.matcher(calls.get(i));
            Matcher e = ours.matcher(expected.get(i));
            assertThat(a.matches()).as(calls.get(i)).isTrue();
            assertThat(e.matches()).as(expected.get(i)).isTrue();
            assertThat(List.of(a.group(1), a.group(2), Integer.parseInt(a.group(3)), a.group(4), a.group(5)))
                    .isEqualTo(List.of(e.group(1), e.group(2), Integer.parseInt(e.group(3)), e.group(4), e.group(5)));
            assertThat(a.group(6)).isEqualTo(e.group(6) == null ? "0x0" : e.group(6));
        }
    }

    @Test
    void lostRecordsAreTraceCmdsDroppedEventsAndAddUp(@TempDir Path tmp) throws Exception {
        assumeTraceCmd();
        Path data = tmp.resolve("fast.jftrace");
        // 1 KB = 31 records per thread: the drain cannot keep up with a tight loop
        ChildJvm r = ChildJvm.run("tracer=function_graph,filter=itest.ThreadChurnApp.work,buffer_size_kb=1,data=" + data,
                List.of("-cp", CP), "itest.ThreadChurnApp", "3", "100000");
        assertThat(r.exitCode).as(r.toString()).isZero();
        Matcher summary = Pattern.compile("LOST (\\d+) of (\\d+) events").matcher(r.err);
        assertThat(summary.find()).as(r.err).isTrue();
        long lost = Long.parseLong(summary.group(1));
        Path dat = data.resolveSibling("fast.dat");
        ChildJvm rep = jftrace("report", "-f", "trace-dat", "-o", dat.toString(), data.toString());
        assertThat(rep.exitCode).as(rep.toString()).isZero();
        assertThat(rep.err).contains(String.format(java.util.Locale.ROOT, "records were lost: trace-cmd shows %,d as", lost));
        ChildJvm tc = traceCmdReport(dat);
        long dropped = 0;
        Matcher m = Pattern.compile("(?m)^CPU:\\d+ \\[(\\d+) EVENTS DROPPED\\]$").matcher(tc.out);
        while (m.find()) {
            dropped += Long.parseLong(m.group(1));
        }
        assertThat(dropped).isEqualTo(lost).isPositive();
    }

    @Test
    void aTruncatedFileConvertsWhatItHoldsAndSaysSo(@TempDir Path tmp) throws Exception {
        assumeTraceCmd();
        Path data = recordShop(tmp, 50);
        byte[] all = Files.readAllBytes(data);
        Path cut = Files.write(tmp.resolve("cut.jftrace"), java.util.Arrays.copyOf(all, all.length * 2 / 3));
        Path dat = tmp.resolve("cut.dat");
        ChildJvm rep = jftrace("report", "-f", "trace-dat", "-o", dat.toString(), cut.toString());
        assertThat(rep.exitCode).as(rep.toString()).isZero();
        assertThat(rep.err).contains(cut + " is truncated at byte ");
        Map<Long, List<String>> expected = GraphCalls.jftrace(jftrace("report", cut.toString()).out);
        assertThat(GraphCalls.traceCmd(traceCmdReport(dat).out)).isEqualTo(expected).isNotEmpty();
    }

    @Test
    void kernelSharkOpensTheFileAndDrawsIt(@TempDir Path tmp) throws Exception {
        for (String c : List.of("kernelshark", "Xvfb", "xwininfo", "import")) {
            assumeTrue(installed(c), c + " is not installed (Debian: apt-get install -y kernelshark xvfb x11-utils imagemagick):"
                    + " the trace.dat is not opened in KernelShark");
        }
        Path dat = traceDat(recordShop(tmp, 20));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path runtime = Files.createDirectories(tmp.resolve("runtime"), java.nio.file.attribute.PosixFilePermissions
                .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        // KernelShark asks root to confirm in a dialog unless the settings in its cache directory say not to
        Path cache = Files.createDirectories(home.resolve("kernelshark"));
        Files.writeString(cache.resolve("setting.ini"), "[General]\nnoRootWarn=true\n");
        Path displayFile = tmp.resolve("display");
        Process xvfb = new ProcessBuilder("sh", "-c", "exec Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>" + displayFile)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("xvfb.log").toFile()).start();
        Process shark = null;
        try {
            String display = ":" + poll(20, "Xvfb's display number", () -> {
                String d = Files.exists(displayFile) ? Files.readString(displayFile).trim() : "";
                return d.isEmpty() ? null : d;
            });
            ProcessBuilder pb = new ProcessBuilder("kernelshark", dat.toString()).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("kernelshark.log").toFile());
            pb.environment().putAll(Map.of("DISPLAY", display, "KS_USER_CACHE_DIR", cache.toString(), "XDG_CACHE_HOME",
                    home.toString(), "XDG_CONFIG_HOME", home.toString(), "XDG_RUNTIME_DIR", runtime.toString()));
            shark = pb.start();
            Process s = shark;
            // the main window's title names the file: "Kernel Shark (PATH)"
            Pattern title = Pattern.compile("\"Kernel Shark \\(.*" + Pattern.quote(dat.getFileName().toString()) + "\\)\"");
            poll(60, "KernelShark's window " + title, () -> {
                if (!s.isAlive()) {
                    throw new AssertionError("kernelshark exited " + s.exitValue() + ": "
                            + Files.readString(tmp.resolve("kernelshark.log")));
                }
                ChildJvm w = ChildJvm.exec(List.of("xwininfo", "-root", "-tree", "-display", display));
                return title.matcher(w.out).find() ? w.out : null;
            });
            // the window shows before its plots are drawn: screenshots until one has the plots' colours
            Path png = tmp.resolve("kernelshark.png");
            int colours = poll(60, "a screenshot of KernelShark that is not blank", () -> {
                ChildJvm shot = ChildJvm.exec(List.of("import", "-display", display, "-window", "root", png.toString()));
                assertThat(shot.exitCode).as(shot.toString()).isZero();
                int n = colours(ImageIO.read(png.toFile()));
                return n > 40 ? n : null;
            });
            assertThat(colours).isGreaterThan(40);
            assertThat(Files.readString(tmp.resolve("kernelshark.log"))).doesNotContain("Unable to find file")
                    .doesNotContain("Failed to open");
        } finally {
            if (shark != null) {
                shark.destroy();
                if (!shark.waitFor(10, TimeUnit.SECONDS)) {
                    shark.destroyForcibly();
                }
            }
            xvfb.destroy();
            xvfb.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int colours(BufferedImage img) {
        Set<Integer> c = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                c.add(img.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return c.size();
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    /** Asks {@code probe} every 100 ms until it answers (not null), failing after {@code seconds}. */
    static <T> T poll(int seconds, String what, Probe<T> probe) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no " + what + " after " + seconds + " s");
            }
            Thread.sleep(100);
        }
    }
}
