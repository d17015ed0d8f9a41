package org.jftrace.cli.tracedat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jftrace.cli.report.Jvm;
import org.jftrace.cli.report.ThreadInfo;

/**
 * A trace.dat's header, version 6, up to the flyrecord section: the magic and version, little
 * endian, 8-byte longs, 4 KB pages; the ring buffer's page and event headers; the ftrace event
 * formats; no other event systems; the symbols; no printk formats; the tasks' names; the CPU count;
 * one option, the trace clock.
 */
final class Header {

    private static final int OPTION_DONE = 0;
    private static final int OPTION_TRACECLOCK = 4;

    private Header() {
    }

    static LeBytes build(List<Jvm> jvms, boolean descriptor, int cpus, String clock) {
        LeBytes b = new LeBytes(1 << 16);
        b.u8(0x17).u8(0x08).u8(0x44).ascii("tracing").cstring("6");
        b.u8(0); // little endian
        b.u8(8); // long size
        b.u32(CpuPages.PAGE);
        b.cstring("header_page").sized(Formats.HEADER_PAGE, true);
        b.cstring("header_event").sized(Formats.HEADER_EVENT, true);
        b.u32(Formats.ALL.length);
        for (String f : Formats.ALL) {
            b.sized(f, true);
        }
        b.u32(0); // event systems besides ftrace
        b.sized(Symbols.kallsyms(jvms, descriptor), false);
        b.u32(0); // printk formats
        b.sized(cmdlines(jvms), true);
        b.u32(cpus);
        b.ascii("options  ").u8(0);
        // the clock's name; trace-cmd shows mono timestamps as seconds and the counter's as counts
        String c = "[" + clock + "]";
        b.u16(OPTION_TRACECLOCK).u32(c.length() + 1).cstring(c);
        b.u16(OPTION_DONE);
        return b;
    }

    /** saved_cmdlines: {@code PID COMM} per task; a thread id seen in several streams keeps its first name. */
    private static String cmdlines(List<Jvm> jvms) {
        StringBuilder sb = new StringBuilder();
        Set<Integer> seen = new HashSet<>();
        for (Jvm j : jvms) {
            for (ThreadInfo t : j.threads()) {
                if (seen.add((int) t.id)) {
                    sb.append((int) t.id).append(' ').append(t.comm()).append('\n');
                }
            }
        }
        return sb.toString();
    }
}
