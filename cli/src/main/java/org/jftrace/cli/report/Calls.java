package org.jftrace.cli.report;

import java.util.Arrays;

/**
 * The calls of function_graph records, per thread, as the merge delivers them: an entry opens a
 * frame, its return closes it with the return's calltime and duration. A return whose entry is not
 * in the data (lost, or before the recording began) is a call of its own under the open frames; an
 * entry whose return never came (the recording ended first) closes at the stream's last timestamp,
 * unfinished. Nothing outlives a frame: the listeners aggregate or write as calls close.
 */
public final class Calls {

    /** An open or closing call. Frames are reused: a listener copies what it keeps. */
    public static final class Frame {
        public ThreadInfo thread;
        public int ip;
        /** The graph's depth (1: a root). */
        public int depth;
        /** Nesting among the thread's traced calls in the data, from 0. */
        public int level;
        public long start;
        public long end;
        public boolean threw;
        public boolean unfinished;
        /** The arguments its entry recorded (funcgraph-args), or null. */
        public ArgValue[] args;
        /** Its return's captured object or exception (funcgraph-retval), or null. */
        public ArgValue ret;
        /** Its return's value bits (a primitive return, typed by the function's descriptor). */
        public long retval;
        /** Whether its return is in the data (else retval means nothing). */
        public boolean returned;
        /** The time of the frame's closed children. */
        long childTime;
        public Frame parent;
        /** The listener's: e.g. the frame's node in a call tree. */
        public Object node;

        public long duration() {
            return end - start;
        }

        /** The time not spent in traced children. */
        public long self() {
            return Math.max(0, duration() - childTime);
        }
    }

    /** Hears of each call as it opens and as it closes. */
    public interface Listener {
        void enter(Frame f) throws java.io.IOException;

        void exit(Frame f) throws java.io.IOException;
    }

    private static final class Stack {
        Frame[] frames = new Frame[16];
        int size;

        Frame push(ThreadInfo t) {
            if (size == frames.length) {
                frames = Arrays.copyOf(frames, size * 2);
            }
            Frame f = frames[size];
            if (f == null) {
                f = frames[size] = new Frame();
            }
            f.thread = t;
            f.parent = size > 0 ? frames[size - 1] : null;
            f.level = size;
            f.childTime = 0;
            f.threw = false;
            f.unfinished = false;
            f.node = null;
            f.args = null;
            f.ret = null;
            f.retval = 0;
            f.returned = false;
            size++;
            return f;
        }

        Frame top() {
            return size > 0 ? frames[size - 1] : null;
        }
    }

    private final Jvm jvm;
    private final Listener listener;

    public Calls(Jvm jvm, Listener listener) {
        this.jvm = jvm;
        this.listener = listener;
        for (ThreadInfo t : jvm.threads()) {
            t.calls = null;
        }
    }

    private static Stack stack(ThreadInfo t) {
        Stack s = (Stack) t.calls;
        if (s == null) {
            s = new Stack();
            t.calls = s;
        }
        return s;
    }

    /** An ENTRY or RETURN record. */
    public void record(Record r) throws java.io.IOException {
        Stack s = stack(r.thread);
        int d = r.arg;
        if (r.type == DataFormat.ENTRY) {
            // frames at this depth or deeper lost their returns: they are dropped, not guessed
            while (s.size > 0 && s.top().depth >= d) {
                s.size--;
            }
            Frame f = s.push(r.thread);
            f.ip = r.ip;
            f.depth = d;
            f.start = r.ts;
            f.args = r.args;
            listener.enter(f);
            return;
        }
        while (s.size > 0 && (s.top().depth > d || (s.top().depth == d && s.top().ip != r.ip))) {
            s.size--;
        }
        Frame f = s.top();
        if (f == null || f.depth != d) {
            f = s.push(r.thread); // its entry is not in the data
            f.ip = r.ip;
            f.depth = d;
            listener.enter(f);
        }
        f.start = r.callTime();
        f.end = r.ts;
        f.threw = r.exceptional;
        f.ret = r.ret;
        f.retval = r.retval;
        f.returned = true;
        close(s, f);
    }

    private void close(Stack s, Frame f) throws java.io.IOException {
        listener.exit(f);
        s.size--;
        if (f.parent != null) {
            f.parent.childTime += f.duration();
        }
    }

    /** Closes the calls still open at the end of the stream, at its last timestamp. */
    public void finish() throws java.io.IOException {
        for (ThreadInfo t : jvm.threads()) {
            Stack s = (Stack) t.calls;
            while (s != null && s.size > 0) {
                Frame f = s.top();
                f.end = Math.max(f.start, jvm.maxTs);
                f.unfinished = true;
                close(s, f);
            }
            t.calls = null;
        }
    }
}
