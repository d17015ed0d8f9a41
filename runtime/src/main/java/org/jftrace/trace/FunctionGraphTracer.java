package org.jftrace.trace;

import org.jftrace.filter.FilterHash;
import org.jftrace.ftrace.FtraceOps;
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

    @Override
    FtraceOps newOps(TraceInstance ti) {
        return new FtraceOps(ti.opsName("function_graph"), FtraceOps.FL_RECURSION | FtraceOps.FL_PID,
                (ip, parentIp, op, regs) -> entry(ti, (int) ip, op, regs),
                (ip, parentIp, op, regs) -> exit(ti, (int) ip, op, regs));
    }

    private static GraphState state(TraceInstance ti, FtraceOps op, Regs regs) {
        Object s = regs.local(op);
        if (s == null) {
            s = new GraphState(ti.buffers.current());
            regs.setLocal(op, s);
        }
        return (GraphState) s;
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
            regs.setData(op, NOT_RECORDED);
            return;
        }
        long now = ti.clock.now(st.buf);
        regs.setData(op, now);
        if (ti.tracingThresh == 0) {
            st.buf.writeGraphEntry(now, ip, visible);
        }
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
        FilterHash graphNotrace = ti.graphNotrace;
        if (!graphNotrace.isEmpty() && graphNotrace.contains(ip)) {
            st.notrace--;
        }
        FilterHash graph = ti.graphFunctions;
        if (!graph.isEmpty() && graph.contains(ip) && st.inGraph > 0 && --st.inGraph == 0) {
            st.base = 0;
        }
        st.depth = d - 1;
    }
}
