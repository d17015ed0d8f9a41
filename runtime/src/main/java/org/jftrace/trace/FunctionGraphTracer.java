package org.jftrace.trace;

import org.jftrace.filter.FilterHash;
import org.jftrace.ftrace.FtraceFunc;
import org.jftrace.ftrace.FtraceOps;
import org.jftrace.ftrace.FtraceRetFunc;
import org.jftrace.ftrace.Regs;
import org.jftrace.ring.TraceBuffer;

/**
 * {@code function_graph}: an entry and a return record per call, with the call's duration, nesting
 * and exceptional exits (trace_functions_graph.c).
 *
 * <p>Honours set_graph_function (only calls made inside those functions, which start at depth 1),
 * set_graph_notrace (the function and everything it calls is left out), max_graph_depth and
 * tracing_thresh (only calls at least that long are recorded, as returns).
 */
public final class FunctionGraphTracer extends OpsTracer {

    /** Per-call data meaning "this call was not recorded". */
    private static final long NOT_RECORDED = Long.MIN_VALUE;

    /** One per thread: where the thread is in the graph. Entries and exits pair, so it stays exact. */
    static final class GraphState {
        final TraceBuffer buf;
        /**
         * Where arguments and return objects are encoded (funcgraph-args, funcgraph-retval): made by the
         * first callback that needs it (the other may be the plain one, which made the state).
         */
        long[] words;
        int depth;
        int inGraph;
        int base;
        int notrace;

        GraphState(TraceBuffer buf) {
            this.buf = buf;
        }
    }

    @Override
    public String name() {
        return "function_graph";
    }

    /**
     * The plain callbacks, or with funcgraph-args / funcgraph-retval the ones that also encode the
     * arguments / the returned object: chosen here, so that the plain ones test nothing for them.
     */
    @Override
    boolean readsOption(String option) {
        return option.equals("funcgraph-args") || option.equals("funcgraph-retval");
    }

    @Override
    FtraceOps newOps(TraceInstance ti) {
        boolean args = ti.options.get("funcgraph-args");
        boolean retval = ti.options.get("funcgraph-retval");
        FtraceFunc entry = args
                ? (ip, parentIp, op, regs) -> entryArgs(ti, (int) ip, op, regs)
                : (ip, parentIp, op, regs) -> entry(ti, (int) ip, op, regs);
        FtraceRetFunc exit = retval
                ? (ip, parentIp, op, regs) -> exitRetval(ti, (int) ip, op, regs)
                : (ip, parentIp, op, regs) -> exit(ti, (int) ip, op, regs);
        int flags = FtraceOps.FL_RECURSION | FtraceOps.FL_PID | (args ? FtraceOps.FL_SAVE_REGS : 0);
        return new FtraceOps(ti.opsName("function_graph"), flags, entry, exit);
    }

    private static GraphState state(TraceInstance ti, FtraceOps op, Regs regs) {
        Object s = regs.local(op);
        if (s == null) {
            s = new GraphState(ti.buffers.current());
            regs.setLocal(op, s);
        }
        return (GraphState) s;
    }

    private static GraphState stateWithWords(TraceInstance ti, FtraceOps op, Regs regs) {
        GraphState s = state(ti, op, regs);
        if (s.words == null) {
            s.words = new long[ArgEncoder.MAX_WORDS];
        }
        return s;
    }

    private static void entry(TraceInstance ti, int ip, FtraceOps op, Regs regs) {
        GraphState st = state(ti, op, regs);
        int d = ++st.depth;
        if (ti.graphPlain) { // no graph filter, depth limit or threshold: what the general path does then
            if (!ti.tracingOn || st.notrace > 0) {
                regs.setData(op, NOT_RECORDED);
                return;
            }
            long now = ti.clock.now(st.buf);
            regs.setData(op, now);
            st.buf.writeGraphEntry(now, ip, d - st.base);
            return;
        }
        int visible = admit(ti, st, ip, d);
        if (visible < 0) {
            regs.setData(op, NOT_RECORDED);
            return;
        }
        long now = ti.clock.now(st.buf);
        regs.setData(op, now);
        if (ti.tracingThresh == 0) {
            st.buf.writeGraphEntry(now, ip, visible);
        }
    }

    /** {@link #entry} with the call's arguments in the entry record (funcgraph-args). */
    private static void entryArgs(TraceInstance ti, int ip, FtraceOps op, Regs regs) {
        GraphState st = stateWithWords(ti, op, regs);
        int d = ++st.depth;
        int visible;
        if (ti.graphPlain) {
            visible = !ti.tracingOn || st.notrace > 0 ? -1 : d - st.base;
        } else {
            visible = admit(ti, st, ip, d);
        }
        if (visible < 0) {
            regs.setData(op, NOT_RECORDED);
            return;
        }
        long now = ti.clock.now(st.buf);
        regs.setData(op, now);
        if (ti.tracingThresh == 0) {
            int n = ArgEncoder.args(regs, st.words, ti.argsStrlen);
            st.buf.writeGraphEntryArgs(now, ip, visible, st.words, n);
        }
    }

    /**
     * The general path's entry: applies set_graph_function, set_graph_notrace and max_graph_depth.
     *
     * @return the depth the call shows at, or -1 if it is not recorded
     */
    private static int admit(TraceInstance ti, GraphState st, int ip, int d) {
        FilterHash graph = ti.graphFunctions;
        if (!graph.isEmpty() && graph.contains(ip) && st.inGraph++ == 0) {
            st.base = d - 1;
        }
        FilterHash graphNotrace = ti.graphNotrace;
        if (!graphNotrace.isEmpty() && graphNotrace.contains(ip)) {
            st.notrace++;
        }
        int visible = d - st.base;
        int max = ti.maxGraphDepth;
        if (!ti.tracingOn || st.notrace > 0 || (!graph.isEmpty() && st.inGraph == 0) || (max > 0 && visible > max)) {
            return -1;
        }
        return visible;
    }

    private static void exit(TraceInstance ti, int ip, FtraceOps op, Regs regs) {
        GraphState st = state(ti, op, regs);
        long calltime = regs.data(op);
        int d = st.depth;
        if (ti.graphPlain) { // as in entry
            if (calltime != NOT_RECORDED) {
                st.buf.writeGraphReturn(ti.clock.now(st.buf), ip, d - st.base, calltime, regs.retval(),
                        regs.thrown() != null);
            }
            st.depth = d - 1;
            return;
        }
        if (calltime != NOT_RECORDED) {
            long now = ti.clock.now(st.buf);
            long thresh = ti.tracingThresh;
            if (thresh == 0 || now - calltime >= thresh) {
                st.buf.writeGraphReturn(now, ip, d - st.base, calltime, regs.retval(), regs.thrown() != null);
            }
        }
        leave(ti, st, ip);
        st.depth = d - 1;
    }

    /** {@link #exit} with the returned object or the exception's class in the return record (funcgraph-retval). */
    private static void exitRetval(TraceInstance ti, int ip, FtraceOps op, Regs regs) {
        GraphState st = stateWithWords(ti, op, regs);
        long calltime = regs.data(op);
        int d = st.depth;
        if (calltime != NOT_RECORDED) {
            long now = ti.clock.now(st.buf);
            long thresh = ti.graphPlain ? 0 : ti.tracingThresh;
            if (thresh == 0 || now - calltime >= thresh) {
                Throwable thrown = regs.thrown();
                int n = ArgEncoder.ret(ip, regs.retObject(), thrown, st.words, ti.argsStrlen);
                st.buf.writeGraphReturnArgs(now, ip, d - st.base, calltime, regs.retval(), thrown != null, st.words, n);
            }
        }
        if (!ti.graphPlain) {
            leave(ti, st, ip);
        }
        st.depth = d - 1;
    }

    /** The general path's return: leaves set_graph_notrace and set_graph_function functions. */
    private static void leave(TraceInstance ti, GraphState st, int ip) {
        FilterHash graphNotrace = ti.graphNotrace;
        if (!graphNotrace.isEmpty() && graphNotrace.contains(ip)) {
            st.notrace--;
        }
        FilterHash graph = ti.graphFunctions;
        if (!graph.isEmpty() && graph.contains(ip) && st.inGraph > 0 && --st.inGraph == 0) {
            st.base = 0;
        }
    }
}
