package org.jftrace.reliability;

import java.lang.reflect.Method;

/**
 * Runs in a child JVM started with random agent options: does some work in a class the agent may
 * instrument, then prints the control files' settings and whether the agent runs.
 */
public final class OptionsProbe {

    private OptionsProbe() {
    }

    public static void main(String[] args) throws Exception {
        long s = 0;
        for (int i = 0; i < 1000; i++) {
            s += stress.fixture.Hot.work(i % 9) + stress.fixture.Hot.counted(i);
        }
        System.out.println("probe work " + s);
        Class<?> tracefs = Class.forName("org.jftrace.trace.Tracefs", false, null);
        Object fs = tracefs.getMethod("jvm").invoke(null);
        Method read = tracefs.getMethod("read", String.class);
        for (String f : new String[] {"current_tracer", "tracing_on", "set_ftrace_filter", "set_ftrace_notrace", "set_graph_function",
                "set_graph_notrace", "max_graph_depth", "tracing_thresh", "set_ftrace_pid", "buffer_size_kb", "trace_clock",
                "trace_options"}) {
            System.out.println("setting " + f + " = " + String.valueOf(read.invoke(fs, f)).replace("\n", "\\n"));
        }
        Class<?> agent = Class.forName("org.jftrace.agent.Agent", true, ClassLoader.getSystemClassLoader());
        System.out.println("agent running " + (agent.getMethod("instance").invoke(null) != null));
        System.out.println("probe ok");
    }
}
