package org.jftrace.cli.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stream of the file (one traced JVM): its META, names, STATS, the index of its EVENTS blocks and
 * what the first pass counted. Holds no records.
 */
public final class Jvm {
    public String tracer = "";
    public String clock = "mono";
    public long pid;
    public long anchorClock;
    public long anchorEpochNanos;
    public String traceOptions = "";
    public String description = "";
    final Map<Integer, String> functions = new HashMap<>();
    /** Parameter names by function, joined by commas (PARAMETERS blocks). */
    final Map<Integer, String> parameters = new HashMap<>();
    final Map<Integer, ThreadInfo> threads = new LinkedHashMap<>();

    /** STATS, when the stream has it (a truncated one has not). */
    boolean hasStats;
    long statsWritten;
    long statsLost;
    int statsBuffers;

    /** Records in the file, LOST records not counted. */
    public long records;
    /** The sum of the LOST records' counts. */
    public long lostInFile;
    /** The earliest time of the stream (a return's calltime included) and its last timestamp. */
    long minTs = Long.MAX_VALUE;
    long maxTs = Long.MIN_VALUE;
    boolean hasGraph;
    /** The stream ended without its END block. */
    boolean truncated;

    // The EVENTS blocks, in file order: where their payload is and when their first record is.
    int blocks;
    long[] blockOffset = new long[64];
    int[] blockLength = new int[64];
    long[] blockFirstTs = new long[64];
    /** Each buffer's blocks in write order. */
    final Map<Integer, List<Integer>> bufferBlocks = new LinkedHashMap<>();

    private final Map<Integer, String> shortNames = new HashMap<>();
    private final Map<Integer, String> longNames = new HashMap<>();

    void addBlock(long offset, int length, int buffer, long firstTs) {
        if (blocks == blockOffset.length) {
            blockOffset = Arrays.copyOf(blockOffset, blocks * 2);
            blockLength = Arrays.copyOf(blockLength, blocks * 2);
            blockFirstTs = Arrays.copyOf(blockFirstTs, blocks * 2);
        }
        blockOffset[blocks] = offset;
        blockLength[blocks] = length;
        blockFirstTs[blocks] = firstTs;
        bufferBlocks.computeIfAbsent(buffer, k -> new ArrayList<>()).add(blocks);
        blocks++;
    }

    /** @return whether trace_options (as recorded at the start) had {@code name} on */
    public boolean option(String name) {
        java.util.Set<String> on = optionsOn;
        if (on == null) { // parsed once: callers ask per call
            on = new java.util.HashSet<>();
            for (String line : traceOptions.split("\n")) {
                on.add(line.trim());
            }
            optionsOn = on;
        }
        return on.contains(name);
    }

    private java.util.Set<String> optionsOn;

    /**
     * The call's values as one line, {@code (a=1, b="x") ret=3} or {@code ... threw CLASS}: the arguments
     * if recorded, the return value if funcgraph-retval was on (or its object was captured); null if none.
     */
    public String callValues(int ip, ArgValue[] args, boolean returned, boolean threw, ArgValue ret, long retval) {
        StringBuilder sb = new StringBuilder();
        if (args != null) {
            sb.append('(').append(ArgText.args(args, parameters(ip))).append(')');
        }
        if (returned && (ret != null || option("funcgraph-retval"))) {
            String r = ArgText.ret(threw, ret, retval, function(ip), option("funcgraph-retval-hex"));
            if (r != null) {
                sb.append(sb.length() > 0 ? " " : "").append(r);
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** @return the function's parameter names joined by commas, or null if the file does not say */
    public String parameters(int ip) {
        return parameters.get(ip);
    }

    /** The function's full name (with its descriptor), or 0x... for an undeclared ip. */
    public String function(int ip) {
        String n = functions.get(ip);
        return n != null ? n : "0x" + Integer.toHexString(ip);
    }

    /** Display names: without the descriptor unless asked for; one String per function. */
    public String name(int ip, boolean descriptor) {
        Map<Integer, String> cache = descriptor ? longNames : shortNames;
        String n = cache.get(ip);
        if (n == null) {
            n = function(ip);
            int p = n.indexOf('(');
            if (!descriptor && p >= 0) {
                n = n.substring(0, p);
            }
            cache.put(ip, n);
        }
        return n;
    }

    public boolean isCounter() {
        return !"mono".equals(clock); // counter, local_counter: counts, not nanoseconds
    }

    /** Wall-clock time (ns since 1970) of a mono timestamp. */
    public long wallNanos(long ts) {
        return isCounter() ? anchorEpochNanos : anchorEpochNanos + (ts - anchorClock);
    }

    /** Records the traced JVM wrote: STATS's figure, or (without STATS) what the file holds plus its losses. */
    public long written() {
        return hasStats ? statsWritten : records + lostInFile;
    }

    /** Records lost: STATS's figure, or the sum of the LOST records. */
    public long lost() {
        return hasStats ? statsLost : lostInFile;
    }

    /** Records kept: written less lost. */
    public long kept() {
        return written() - lost();
    }

    /** The buffers: STATS's count, or those that have blocks. */
    int bufferCount() {
        return hasStats ? statsBuffers : bufferBlocks.size();
    }

    /** The stream's threads, as its THREADS blocks declare them. */
    public Iterable<ThreadInfo> threads() {
        return threads.values();
    }

    /** The declared functions' ips. */
    public Iterable<Integer> functionIps() {
        return functions.keySet();
    }

    /** The buffer ids that have records. */
    public Iterable<Integer> buffers() {
        return bufferBlocks.keySet();
    }

    /** The earliest time of the stream (a return's calltime included), or Long.MAX_VALUE when it has no records. */
    public long minTs() {
        return minTs;
    }

    /** Reads a META block into this JVM's description. */
    void readMeta(Payload p) throws BadDataException {
        tracer = p.str();
        clock = p.str();
        pid = p.vlong();
        anchorClock = p.i64();
        anchorEpochNanos = p.i64();
        traceOptions = p.str();
        description = p.str();
    }

    /** Reads a FUNCTIONS block: each function's ip and name. */
    void readFunctions(Payload p) throws BadDataException {
        int n = p.vint();
        for (int i = 0; i < n; i++) {
            int ip = p.vint();
            functions.put(ip, p.str());
        }
    }

    /** Reads a THREADS block: each thread's key, id, name and whether it is virtual. */
    void readThreads(Payload p) throws BadDataException {
        int n = p.vint();
        for (int i = 0; i < n; i++) {
            int key = p.vint();
            long id = p.vlong();
            String name = p.str();
            threads.put(key, new ThreadInfo(id, name, p.u8() != 0));
        }
    }

    /** Reads a PARAMETERS block: each function's argument names, joined by commas. */
    void readParameters(Payload p) throws BadDataException {
        int n = p.vint();
        for (int i = 0; i < n; i++) {
            int ip = p.vint();
            parameters.put(ip, p.str());
        }
    }
}
