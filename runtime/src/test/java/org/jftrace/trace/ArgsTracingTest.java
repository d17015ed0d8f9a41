package org.jftrace.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.Trampoline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * func-args, funcgraph-args and funcgraph-retval through real sites: the values in the records, and
 * the lines the trace file prints.
 */
class ArgsTracingTest {

    final Tracefs fs = new Tracefs();

    @AfterEach
    void stop() {
        fs.write("current_tracer", "nop", false);
        fs.write("set_ftrace_filter", "", false);
        for (String o : List.of("func-args", "funcgraph-args", "funcgraph-retval", "funcgraph-retval-hex")) {
            fs.write("options/" + o, "0", false);
        }
        fs.write("func_args_strlen", "32", false);
    }

    /** A class whose toString, hashCode and equals throw: printing it must call none of them. */
    static final class Hostile {
        @Override
        public String toString() {
            throw new AssertionError("toString called");
        }

        @Override
        public int hashCode() {
            throw new AssertionError("hashCode called");
        }

        @Override
        public boolean equals(Object o) {
            throw new AssertionError("equals called");
        }
    }

    /** A static function of the given descriptor whose entry passes its arguments, and its exit. */
    static final class ArgSite {
        final int ip;
        final MethodHandle entry;
        final MethodHandle exit;
        final MethodHandle thrower;

        ArgSite(String cls, String method, String desc, String names) {
            ip = Ftrace.addFunction(ArgSite.class.getClassLoader(), cls.replace('.', '/'), method, desc, false,
                    "args-test", false);
            if (names != null) {
                Ftrace.setParameterNames(ip, names);
            }
            MethodHandles.Lookup l = MethodHandles.lookup();
            MethodType t = MethodType.fromMethodDescriptorString(desc, ArgSite.class.getClassLoader());
            entry = Trampoline.site(l, "jftrace_entry", t.changeReturnType(Object.class), ip).dynamicInvoker();
            Class<?> r = t.returnType();
            MethodType exitType = r == void.class ? MethodType.methodType(void.class, Object.class)
                    : MethodType.methodType(void.class, r, Object.class);
            exit = Trampoline.site(l, "jftrace_exit", exitType, ip).dynamicInvoker();
            thrower = Trampoline.site(l, "jftrace_throw", MethodType.methodType(void.class, Throwable.class, Object.class), ip)
                    .dynamicInvoker();
        }

        /** Calls it with {@code args}, returning {@code ret} (none for void). */
        void call(Object ret, Object... args) {
            try {
                Object token = entry.invokeWithArguments(args);
                if (exit.type().parameterCount() == 1) {
                    exit.invokeWithArguments(token);
                } else {
                    exit.invokeWithArguments(ret, token);
                }
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }

        void callThrowing(Throwable thrown, Object... args) {
            try {
                Object token = entry.invokeWithArguments(args);
                thrower.invokeWithArguments(thrown, token);
            } catch (Throwable t) {
                if (t != thrown) { // the throw site rethrows what left the function
                    throw new AssertionError(t);
                }
            }
        }
    }

    private List<String> lines(String filter) {
        return Arrays.stream(fs.read("trace").split("\n")).filter(l -> !l.startsWith("#")).filter(l -> l.contains(filter))
                .map(l -> l.substring(l.indexOf("|  ") >= 0 && l.contains(")") && !l.contains("<-") ? l.indexOf("|  ") + 3
                        : l.indexOf(": ") + 2))
                .collect(Collectors.toList());
    }

    @Test
    void funcArgsPrintsEveryKindOfValueByNameWithoutCallingUserCode() {
        ArgSite f = new ArgSite("args.A", "all", "(ZCBSIJFD)V", "z,c,b,s,i,j,f,d");
        fs.write("set_ftrace_filter", "args.A.*", false);
        fs.write("options/func-args", "1", false);
        fs.write("current_tracer", "function", false);
        f.call(null, true, 'q', (byte) -1, (short) 300, 42, -7L, 1.5f, 0.25);
        assertThat(lines("args.A.all")).containsExactly("args.A.all(z=true, c='q', b=-1, s=300, i=42, j=-7, ...)");
        ArgSite g = new ArgSite("args.A", "objs", "(Ljava/lang/Object;Ljava/lang/String;Ljava/lang/Object;[I)V", null);
        Hostile h = new Hostile();
        int[] a = new int[0];
        g.call(null, h, "a \"quoted\" string that is longer than thirty-two characters", null, a);
        assertThat(lines("args.A.objs")).containsExactly("args.A.objs(arg0=Hostile@" + Integer.toHexString(System.identityHashCode(h))
                + ", arg1=\"a \\\"quoted\\\" string that is longer\"..., arg2=null, arg3=int[]@"
                + Integer.toHexString(System.identityHashCode(a)) + ")");
    }

    @Test
    void floatsDoublesAndEscapedCharsPrintAsJavaWritesThem() {
        ArgSite f = new ArgSite("args.F", "fd", "(FDCLjava/lang/String;)F", "f,d,c,s");
        fs.write("set_ftrace_filter", "args.F.*", false);
        fs.write("options/funcgraph-args", "1", false);
        fs.write("options/funcgraph-retval", "1", false);
        fs.write("current_tracer", "function_graph", false);
        f.call(-0.5f, 1.5f, 1e-10, '\'', "tab\there");
        assertThat(lines("args.F.fd")).containsExactly(
                "args.F.fd(f=1.5, d=1.0E-10, c='\\'', s=\"tab\\there\"); /* ret=-0.5 */");
    }

    @Test
    void funcArgsStrlenSetsHowMuchOfAStringIsKept() {
        ArgSite f = new ArgSite("args.S", "s", "(Ljava/lang/String;Ljava/lang/String;)V", "a,b");
        fs.write("set_ftrace_filter", "args.S.*", false);
        fs.write("options/func-args", "1", false);
        fs.write("func_args_strlen", "4", false);
        fs.write("current_tracer", "function", false);
        f.call(null, "abcdefgh", "xy");
        assertThat(lines("args.S.s")).containsExactly("args.S.s(a=\"abcd\"..., b=\"xy\")");
    }

    @Test
    void funcgraphArgsAndRetvalPrintAsTheKernelDoes() {
        ArgSite leaf = new ArgSite("args.G", "leaf", "(ILjava/lang/String;)I", "n,s");
        ArgSite obj = new ArgSite("args.G", "obj", "()Ljava/lang/String;", null);
        ArgSite boom = new ArgSite("args.G", "boom", "(J)V", "x");
        fs.write("set_ftrace_filter", "args.G.*", false);
        fs.write("options/funcgraph-args", "1", false);
        fs.write("options/funcgraph-retval", "1", false);
        fs.write("current_tracer", "function_graph", false);
        leaf.call(-22, 7, "x");
        obj.call("hello");
        boom.callThrowing(new java.io.IOException(), 5L);
        assertThat(lines("args.G.")).containsExactly(
                "args.G.leaf(n=7, s=\"x\"); /* ret=-22 */",
                "args.G.obj(); /* ret=\"hello\" */",
                "args.G.boom(x=5); /* threw java.io.IOException */");
        fs.write("options/funcgraph-retval-hex", "1", false);
        assertThat(lines("args.G.leaf")).containsExactly("args.G.leaf(n=7, s=\"x\"); /* ret=0xffffffea */");
    }

    @Test
    void funcgraphRetvalAloneShowsReturnsAndExceptionsAndClosingBraces() {
        ArgSite outer = new ArgSite("args.R", "outer", "(I)Ljava/lang/Object;", "n");
        ArgSite inner = new ArgSite("args.R", "inner", "()V", null);
        fs.write("set_ftrace_filter", "args.R.*", false);
        fs.write("options/funcgraph-retval", "1", false);
        fs.write("current_tracer", "function_graph", false);
        try {
            Object token = outer.entry.invokeWithArguments(1);
            inner.callThrowing(new IllegalStateException());
            outer.exit.invokeWithArguments(null, token);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        assertThat(lines("args.R.")).containsExactly(
                "args.R.outer() {",
                "  args.R.inner(); /* threw java.lang.IllegalStateException */",
                "} /* args.R.outer ret=null */");
    }

    @Test
    void tracePipeConsumesEachCallWithItsArguments() {
        ArgSite f = new ArgSite("args.T", "t", "(ILjava/lang/String;)V", "n,s");
        fs.write("set_ftrace_filter", "args.T.*", false);
        fs.write("options/func-args", "1", false);
        fs.write("current_tracer", "function", false);
        for (int i = 0; i < 3; i++) {
            f.call(null, i, "s" + i);
        }
        String pipe = fs.read("trace_pipe");
        assertThat(pipe.lines().map(l -> l.substring(l.indexOf(": ") + 2))).containsExactly(
                "args.T.t(n=0, s=\"s0\")", "args.T.t(n=1, s=\"s1\")", "args.T.t(n=2, s=\"s2\")");
        assertThat(fs.read("trace_pipe")).isEmpty();
    }

    // A hot function: its sites' handles are constants, as an invokedynamic's target is.
    private static final int HOT_IP = Ftrace.addFunction(ArgsTracingTest.class.getClassLoader(), "args/Hot", "f",
            "(ILjava/lang/String;Ljava/lang/Object;JDZCF)Ljava/lang/String;", false, "args-test", false);
    private static final MethodHandle HOT_ENTRY = Trampoline.site(MethodHandles.lookup(), "jftrace_entry",
            MethodType.methodType(Object.class, int.class, String.class, Object.class, long.class, double.class,
                    boolean.class, char.class, float.class), HOT_IP).dynamicInvoker();
    private static final MethodHandle HOT_EXIT = Trampoline.site(MethodHandles.lookup(), "jftrace_exit",
            MethodType.methodType(void.class, String.class, Object.class), HOT_IP).dynamicInvoker();

    static {
        Ftrace.setParameterNames(HOT_IP, "n,s,o,l,d,b,c,f");
    }

    private static void hotCalls(int calls, String s, Object o) throws Throwable {
        for (int i = 0; i < calls; i++) {
            Object token = (Object) HOT_ENTRY.invokeExact(i, s, o, (long) -i, 0.5, true, 'c', 1.5f);
            HOT_EXIT.invokeExact(s, token);
        }
    }

    @Test
    void aHotCallRecordsItsArgumentsWithoutAllocatingUnderBothTracers() throws Throwable {
        String size = fs.read("buffer_size_kb").trim();
        fs.write("buffer_size_kb", "64", false); // full size during the warm-up: the ring never grows after it
        fs.write("set_ftrace_filter", "args.Hot.*", false);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        String s = "order-42";
        Object o = new Object();
        try {
            for (String tracer : List.of("function", "function_graph")) {
                boolean graph = tracer.equals("function_graph");
                fs.write("options/func-args", graph ? "0" : "1", false);
                fs.write("options/funcgraph-args", graph ? "1" : "0", false);
                fs.write("options/funcgraph-retval", graph ? "1" : "0", false);
                fs.write("current_tracer", tracer, false);
                for (int i = 0; i < 30; i++) {
                    hotCalls(100_000, s, o); // warm up: the loop and its sites get compiled
                }
                long before = mx.getCurrentThreadAllocatedBytes();
                hotCalls(1_000_000, s, o);
                long allocated = mx.getCurrentThreadAllocatedBytes() - before;
                // boxed, the eight arguments were an Object[8] and their boxes: over 100 bytes a call
                assertThat(allocated).as("bytes allocated by 1,000,000 calls under %s with arguments", tracer)
                        .isLessThan(1_000_000);
                assertThat(lines("args.Hot.f")).last().asString()
                        .startsWith("args.Hot.f(n=" + (1_000_000 - 1) + ", s=\"order-42\", o=Object@")
                        .contains(", l=-999999, d=0.5, b=true, ...)");
            }
        } finally {
            fs.write("buffer_size_kb", size, false);
        }
    }

    @Test
    void optionsOffKeepThePlainCallbacksAndRecords() {
        ArgSite f = new ArgSite("args.P", "p", "(I)I", "n");
        fs.write("set_ftrace_filter", "args.P.*", false);
        fs.write("current_tracer", "function_graph", false);
        f.call(3, 1);
        assertThat(lines("args.P.p")).containsExactly("args.P.p();");
        fs.write("options/funcgraph-args", "1", false);
        f.call(3, 2);
        fs.write("options/funcgraph-args", "0", false);
        f.call(3, 4);
        assertThat(lines("args.P.p")).containsExactly("args.P.p();", "args.P.p(n=2);", "args.P.p();");
    }
}
