package org.jftrace.cli.tracedat;

/**
 * The ftrace event formats a trace.dat declares (the texts of tracefs's events/ftrace/NAME/format),
 * with the ids and record layouts this writer uses: function, funcgraph_entry, funcgraph_exit as
 * the kernel's function and function_graph tracers write them, and print for trace markers.
 */
final class Formats {

    static final int FUNCTION = 1;
    static final int PRINT = 5;
    static final int FUNCGRAPH_EXIT = 10;
    static final int FUNCGRAPH_ENTRY = 11;

    /** Record sizes (struct ftrace_entry and friends, 8-byte aligned). */
    static final int FUNCTION_SIZE = 24;
    static final int ENTRY_SIZE = 24;
    static final int EXIT_SIZE = 40;

    private static final String COMMON = field("unsigned short common_type", 0, 2, false)
            + field("unsigned char common_flags", 2, 1, false)
            + field("unsigned char common_preempt_count", 3, 1, false)
            + field("int common_pid", 4, 4, true) + "\n";

    private Formats() {
    }

    private static String field(String decl, int offset, int size, boolean signed) {
        return "\tfield:" + decl + ";\toffset:" + offset + ";\tsize:" + size + ";\tsigned:" + (signed ? 1 : 0) + ";\n";
    }

    private static String event(String name, int id, String fields, String print) {
        return "name: " + name + "\nID: " + id + "\nformat:\n" + COMMON + fields + "\nprint fmt: " + print + "\n";
    }

    static final String[] ALL = {
        event("function", FUNCTION, field("unsigned long ip", 8, 8, false) + field("unsigned long parent_ip", 16, 8, false),
                "\" %ps <-- %ps\", (void *)REC->ip, (void *)REC->parent_ip"),
        event("print", PRINT, field("unsigned long ip", 8, 8, false) + field("char buf[]", 16, 0, true),
                "\"%ps: %s\", (void *)REC->ip, REC->buf"),
        event("funcgraph_exit", FUNCGRAPH_EXIT, field("unsigned long func", 8, 8, false) + field("int depth", 16, 4, true)
                + field("unsigned int overrun", 20, 4, false) + field("unsigned long long calltime", 24, 8, false)
                + field("unsigned long long rettime", 32, 8, false),
                "\"<-- %ps (%d) (start: %llx  end: %llx) over: %d\", (void *)REC->func, REC->depth, REC->calltime,"
                        + " REC->rettime, REC->depth"),
        event("funcgraph_entry", FUNCGRAPH_ENTRY, field("unsigned long func", 8, 8, false) + field("int depth", 16, 4, true),
                "\"--> %ps (%d)\", (void *)REC->func, REC->depth"),
    };

    static final String HEADER_PAGE = "\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
            + "\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
            + "\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
            + "\tfield: char data;\toffset:16;\tsize:4080;\tsigned:1;\n";

    static final String HEADER_EVENT = "# compressed entry header\n"
            + "\ttype_len    :    5 bits\n"
            + "\ttime_delta  :   27 bits\n"
            + "\tarray       :   32 bits\n"
            + "\n"
            + "\tpadding     : type == 29\n"
            + "\ttime_extend : type == 30\n"
            + "\ttime_stamp : type == 31\n"
            + "\tdata max type_len  == 28\n";
}
