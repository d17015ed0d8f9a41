package org.jftrace.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: what do sites in JDK classes cost while nothing is traced? JDK-heavy code (HashMap,
 * ConcurrentHashMap, ArrayList, String building), run in forks whose agent gives java.util its sites
 * ({@code -Djftrace.expectJdkSites=true} with {@code include=java.util.*}) and in forks whose agent
 * leaves the JDK alone. A JVM holds one or the other, so the comparison is between forks: run them
 * interleaved with {@code bench/jdk-off.sh}.
 *
 * <p>ConcurrentHashMap is on the notrace list, and String building is java.lang: both keep their
 * code in either fork, a control for the machine's drift between forks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// Long: a fork with sites in java.util reaches steady state later (the JIT compiles the JDK's larger
// methods and the agent's planting of the loaded java.util classes), and the question is steady state.
@Warmup(iterations = 15, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class JdkOffCost {

    private static final String[] KEYS = new String[64];

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = "key-" + i;
        }
    }

    private final Map<String, Integer> chm = new ConcurrentHashMap<>();
    private int round;

    @Setup
    public void check() {
        boolean expect = Boolean.getBoolean("jftrace.expectJdkSites");
        boolean has = jdkHasSites();
        if (has != expect) {
            throw new IllegalStateException("java.util.HashMap " + (has ? "has" : "has no") + " sites; expected "
                    + (expect ? "sites" : "none"));
        }
    }

    /** Whether the agent listed java.util.HashMap's functions: it did if, and only if, it planted them. */
    private static boolean jdkHasSites() {
        return org.jftrace.ftrace.Ftrace.countSelected("java.util.HashMap.put*", "") > 0;
    }

    @Benchmark
    public int hashMap() {
        Map<String, Integer> m = new HashMap<>();
        int r = round++;
        for (int i = 0; i < 16; i++) {
            m.put(KEYS[(r + i) & 63], i);
        }
        int s = 0;
        for (int i = 0; i < 16; i++) {
            Integer v = m.get(KEYS[(r + 2 * i) & 63]);
            s += v == null ? 0 : v;
        }
        return s;
    }

    @Benchmark
    public int arrayList() {
        List<Integer> l = new ArrayList<>();
        int r = round++;
        for (int i = 0; i < 16; i++) {
            l.add(r + i);
        }
        int s = 0;
        for (Integer v : l) {
            s += v;
        }
        return s + l.size();
    }

    @Benchmark
    public int concurrentHashMap() {
        int r = round++;
        for (int i = 0; i < 16; i++) {
            chm.put(KEYS[(r + i) & 63], i);
        }
        int s = 0;
        for (int i = 0; i < 16; i++) {
            Integer v = chm.get(KEYS[(r + 2 * i) & 63]);
            s += v == null ? 0 : v;
        }
        return s;
    }

    @Benchmark
    public String stringBuilding() {
        StringBuilder sb = new StringBuilder();
        int r = round++;
        for (int i = 0; i < 8; i++) {
            sb.append(KEYS[(r + i) & 63]).append(',');
        }
        return sb.toString();
    }
}
