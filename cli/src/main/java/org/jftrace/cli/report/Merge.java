package org.jftrace.cli.report;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A stream's records in timestamp order (ties: buffer id, then write order): a k-way merge of its
 * buffers, each read block by block as the merge reaches it. Memory: the blocks that overlap the
 * current time, one per buffer at most.
 */
public final class Merge {

    private Merge() {
    }

    public static void run(DataFile file, Jvm jvm, RecordSink sink, Progress progress) throws IOException {
        try (FileBytes in = new FileBytes(file.path); EventsReader events = new EventsReader()) {
            PriorityQueue<BufferCursor> heap = new PriorityQueue<>(Math.max(1, jvm.bufferBlocks.size()), Merge::compare);
            for (Map.Entry<Integer, List<Integer>> b : jvm.bufferBlocks.entrySet()) {
                heap.add(new BufferCursor(in, jvm, events, b.getKey(), b.getValue()));
            }
            long n = 0;
            while (!heap.isEmpty()) {
                BufferCursor c = heap.poll();
                while (true) {
                    c.load();
                    sink.record(c.head, c);
                    if ((++n & 0xFFFF) == 0 && progress != null) {
                        progress.add(0x10000);
                    }
                    if (!c.advance()) {
                        break;
                    }
                    BufferCursor top = heap.peek();
                    if (top != null && compare(top, c) < 0) {
                        heap.add(c);
                        break;
                    }
                }
            }
            if (progress != null) {
                progress.add(n & 0xFFFF);
            }
        }
    }

    private static int compare(BufferCursor a, BufferCursor b) {
        int c = Long.compare(a.key, b.key);
        return c != 0 ? c : Integer.compare(a.buffer, b.buffer);
    }
}
