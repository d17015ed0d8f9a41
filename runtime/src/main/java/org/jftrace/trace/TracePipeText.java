package org.jftrace.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jftrace.ring.ArgGroups;
import org.jftrace.ring.RecordDescriptor;
import org.jftrace.ring.TracePipe;
import org.jftrace.ring.TraceRecord;

/**
 * {@code cat trace_pipe} as text: consumes an instance's records and renders them in the format of
 * its current tracer, without the header (the kernel's trace_pipe prints none either). Records are
 * rendered a batch at a time, so a function_graph call whose return arrives in a later batch shows
 * as {@code func() {} ... {@code } /* func *}{@code /}}, as the kernel's pipe does when a return
 * is not yet in the buffer.
 */
public final class TracePipeText {

    private final TraceInstance instance;
    private final TracePipe pipe;
    private final TraceRecord first = new TraceRecord();

    public TracePipeText(TraceInstance instance) {
        this.instance = instance;
        this.pipe = instance.buffers.pipe();
    }

    /**
     * Consumes up to {@code max} records (more if the last one's ARGS records are still to come: they
     * are there, published with it) into {@code records}.
     *
     * @return the records with their ARGS records joined to their owners
     */
    static List<TraceRecord> drainWhole(TracePipe pipe, List<TraceRecord> records, int max) {
        pipe.drain(r -> records.add(r.copy()), max);
        while (!records.isEmpty() && groupOpen(records.get(records.size() - 1))
                && pipe.drain(r -> records.add(r.copy()), 1) > 0) {
            // the rest of the group
        }
        return ArgGroups.join(records);
    }

    private static boolean groupOpen(TraceRecord last) {
        return last.hasArgs() || (last.type() == RecordDescriptor.TYPE_ARGS && last.argsIndex() < last.argsSlots() - 1);
    }

    /**
     * Waits up to {@code timeoutMillis} for a record, then consumes it and up to {@code max - 1}
     * more that are already there.
     *
     * @return the rendered text, empty if nothing arrived in time
     */
    public String next(long timeoutMillis, int max) throws InterruptedException {
        if (!pipe.poll(first, timeoutMillis, TimeUnit.MILLISECONDS)) {
            return "";
        }
        List<TraceRecord> records = new ArrayList<>();
        records.add(first.copy());
        records = drainWhole(pipe, records, Math.max(0, max - 1));
        StringBuilder sb = new StringBuilder();
        TraceOutput.Names names = new TraceOutput.Names(instance.options.get("sym-descriptor"));
        if (instance.tracer instanceof FunctionTracer) {
            for (TraceRecord r : records) {
                TraceOutput.functionLine(sb, instance, r, names);
            }
        } else {
            TraceOutput.graph(sb, instance, records, names);
        }
        return sb.toString();
    }
}
