package org.jftrace.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.IntBinaryOperator;
import javax.management.ObjectName;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Question: how long does one {@code Ftrace.setFilter} take that switches 10,000 C2-compiled functions
 * on (and, after they are C2-compiled again, off), do the first calls after it see the new state, and
 * is only their own compiled code deoptimised? Goal of the issue: under 50 ms on JDK 17 and JDK 25.
 *
 * <p>A plain main program, not JMH: every switch deoptimises the 10,000 methods, and getting them back
 * to C2 takes seconds of compiler time, which must happen (and be checked) between two measurements;
 * a single-shot JMH iteration with a re-warming setup would measure the same thing with less control.
 *
 * <p>Set-up: {@code K} classes {@code bench.workload.gen.C<i> implements IntBinaryOperator} and
 * {@code P} control classes {@code bench.workload.genplain.P<i>} (same shape, outside the agent's
 * include glob, so never traced) are generated with ASM and defined in one class loader; the agent
 * instruments the {@code C<i>} as they are defined. All are called through one megamorphic interface
 * call until every {@code applyAsInt} has an in-use tier-4 (C2) nmethod, checked with the
 * {@code Compiler.codelist} diagnostic command. One ops is registered throughout, filtered to
 * {@code bench.workload.gen.Idle.idle}; "on" is {@code setFilter(ops, "bench.workload.gen.C*.applyAsInt", true)},
 * "off" is {@code setFilter(ops, "bench.workload.gen.Idle.idle", true)}.
 *
 * <p>Per switch it prints: the wall time of the {@code setFilter} call, {@code Ftrace.lastBatchNanos()}
 * and {@code patchStats()}, the time of the first call of all K afterwards and the callback hits it
 * produced (K after "on", 0 after "off"), the tier-4 nmethods of the K methods, of the P control
 * methods, and of everything else before and after, and the time until all K were C2 again.
 *
 * <p>{@code -DpreSwitch=N} first switches N other generated functions (package
 * {@code bench.workload.gen.w}) on and off three times, through the public API: the upper bound of what
 * the agent's startup warm-up ({@code PatchWarmup}, agent option {@code warmup}) can give the first
 * switch.
 *
 * <p>HOW TO RUN (from the repository root):
 * <pre>
 *   java -javaagent:dist/target/jftrace.jar=include=bench.workload.gen.* \
 *        -cp bench/target/benchmarks.jar org.jftrace.bench.SwitchTenThousand [K [reps [P]]]
 * </pre>
 * with {@code -Dkeyed=true} for methods big enough to get a static key, whose switch also flips the key.
 */
public final class SwitchTenThousand {

    private static final String GEN = "bench/workload/gen/C";
    private static final String PLAIN = "bench/workload/genplain/P";
    /**
     * With {@code -Dkeyed=true} the generated methods are {@code ((x * (2i+1) + y) ^ (x >>> 7)) + (y >>> 3)}:
     * 15 bytes or more, so that they get a static key (methods under 12 bytes keep the plain sites),
     * and a switch flips the key of their package as well.
     */
    private static final boolean KEYED = Boolean.getBoolean("keyed");

    /**
     * With {@code -Dkeyed=true}, Idle lives in a package of its own, so that "off" leaves the generated
     * methods' package with nothing traced and its static key goes off too.
     */
    private static final String IDLE = KEYED ? "bench/workload/gen/idle/Idle" : "bench/workload/gen/Idle";
    private static final String ON = "bench.workload.gen.C*.applyAsInt";
    private static final String OFF = IDLE.replace('/', '.') + ".idle";
    private static final long WARM_TIMEOUT_NANOS = Long.getLong("warmTimeoutSeconds", 300) * 1_000_000_000L;

    private static volatile int sink;

    /** Classes defined during the first calls: each LambdaForm the JDK customizes for one method handle is one. */
    private static final java.lang.management.ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();

    private static final StallWatch STALLS = StallWatch.start(Long.getLong("stallReportMillis", 1000));

    private SwitchTenThousand() {
    }

    /** Counts hits and which functions they were for. */
    static final class Hits implements org.jftrace.ftrace.FtraceFunc {
        long hits;
        boolean[] seen = new boolean[1 << 16];

        @Override
        public void func(long ip, long parentIp, FtraceOps op, org.jftrace.ftrace.Regs regs) {
            hits++;
            if (ip >= seen.length) {
                seen = Arrays.copyOf(seen, (int) ip * 2);
            }
            seen[(int) ip] = true;
        }

        int distinct() {
            int n = 0;
            for (boolean b : seen) {
                n += b ? 1 : 0;
            }
            return n;
        }

        void reset() {
            hits = 0;
            Arrays.fill(seen, false);
        }
    }

    public static void main(String[] args) throws Exception {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int p = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        System.out.printf("SwitchTenThousand: K=%d reps=%d control=%d java=%s %s%n", k, reps, p,
                System.getProperty("java.version"), System.getProperty("java.vm.name"));

        GenLoader loader = new GenLoader(SwitchTenThousand.class.getClassLoader());
        long t = System.nanoTime();
        IntBinaryOperator[] gen = new IntBinaryOperator[k];
        for (int i = 0; i < k; i++) {
            gen[i] = loader.instance(GEN + i, i);
        }
        IntBinaryOperator[] plain = new IntBinaryOperator[p];
        for (int i = 0; i < p; i++) {
            plain[i] = loader.instance(PLAIN + i, i);
        }
        Class<?> idle = loader.define(IDLE, idleClass());
        idle.getMethod("idle").invoke(null);
        System.out.printf("generated and defined %d + %d + 1 classes in %.0f ms%n", k, p, ms(System.nanoTime() - t));
        if (!Sites.hasFunction("bench.workload.gen.C0.applyAsInt") || Sites.hasFunction("bench.workload.genplain.")) {
            throw new IllegalStateException("bench.workload.gen.* must be instrumented and genplain not: "
                    + "run with -javaagent:dist/target/jftrace.jar=include=bench.workload.gen.*");
        }

        int pre = Integer.getInteger("preSwitch", 0);
        if (pre > 0) { // -DpreSwitch=N: warm the patching code by real switches of N other functions first
            IntBinaryOperator[] w = new IntBinaryOperator[pre];
            for (int i = 0; i < pre; i++) {
                w[i] = loader.instance("bench/workload/gen/w/W" + i, i);
            }
            FtraceOps warm = new FtraceOps("warm", 0, new Hits());
            Ftrace.setFilter(warm, OFF, true);
            Ftrace.registerFtraceFunction(warm);
            for (int r = 0; r < 6; r++) {
                long t0 = System.nanoTime();
                Ftrace.setFilter(warm, r % 2 == 0 ? "bench.workload.gen.w.*" : OFF, true);
                System.out.printf("pre-switch %d: %.2f ms (%s)%n", r, ms(System.nanoTime() - t0), Ftrace.patchStats());
                round(w, 0);
            }
            Ftrace.unregisterFtraceFunction(warm);
        }

        Hits hits = new Hits();
        FtraceOps ops = new FtraceOps("switch", 0, hits);
        Ftrace.setFilter(ops, OFF, true);
        Ftrace.registerFtraceFunction(ops);

        Codelist before = warm(gen, plain, "initial");
        System.gc();
        System.out.printf("heap in use after the initial warm-up and a full collection: %.1f MB%n",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6);
        System.out.printf("agent's patching warm-up: %s%n", org.jftrace.ftrace.PatchWarmup.lastNanos() < 0 ? "did not run (to its end)"
                : String.format("%.0f ms", ms(org.jftrace.ftrace.PatchWarmup.lastNanos())));
        boolean on = false;
        for (int rep = 0; rep < reps * 2; rep++) {
            if (rep > 0) {
                before = warm(gen, plain, "re-C2 before switch " + (rep + 1));
            }
            on = !on;
            hits.reset();
            long[] gc0 = gc();
            long t0 = System.nanoTime();
            Ftrace.setFilter(ops, on ? ON : OFF, true);
            long t1 = System.nanoTime();
            long[] gc1 = gc();
            String stats = Ftrace.patchStats() + " " + Ftrace.keyStats();
            long batch = Ftrace.lastBatchNanos();
            int s = 0;
            long classes0 = CLASSES.getTotalLoadedClassCount();
            long t2 = System.nanoTime();
            STALLS.arm(t2);
            for (int i = 0; i < k; i++) {
                s = gen[i].applyAsInt(s, i);
            }
            long t3 = System.nanoTime();
            STALLS.disarm();
            long classesDefined = CLASSES.getTotalLoadedClassCount() - classes0;
            sink = s;
            long firstHits = hits.hits;
            int distinct = hits.distinct();
            Codelist after = Codelist.read();
            boolean ok = on ? firstHits == k && distinct == k : firstHits == 0;
            System.out.printf("switch %d %-3s setFilter %.2f ms (lastBatchNanos %.2f ms; gc during it: %d, %d ms; %s) | first calls of all %d: "
                            + "%.2f ms, hits %d, distinct %d%s, classes defined %d | tier-4 in use: gen %d -> %d, control %d -> %d, "
                            + "other %d -> %d%n",
                    rep + 1, on ? "on" : "off", ms(t1 - t0), ms(batch), gc1[0] - gc0[0], gc1[1] - gc0[1], stats, k, ms(t3 - t2), firstHits, distinct,
                    ok ? " OK" : " WRONG", classesDefined, before.gen, after.gen, before.plain, after.plain, before.other, after.other);
            if (ROUNDS_AFTER > 0) {
                roundsAfter(gen);
            }
        }
        Ftrace.unregisterFtraceFunction(ops);
    }

    /**
     * Reports what the main thread and the JIT do when the first calls after a switch take longer than
     * {@code -DstallReportMillis} (default 1000; 0 turns it off): twice, a second apart, the main thread's
     * Java stack, the compiler threads and the main thread from {@code Thread.print}, the length of the
     * compile queue from {@code Compiler.queue}, and how long each diagnostic command took to answer.
     */
    static final class StallWatch implements Runnable {
        private final long thresholdNanos;
        private final Thread main = Thread.currentThread();
        private volatile long armedAt;

        private StallWatch(long thresholdMillis) {
            this.thresholdNanos = thresholdMillis * 1_000_000L;
        }

        static StallWatch start(long thresholdMillis) {
            StallWatch w = new StallWatch(thresholdMillis);
            if (thresholdMillis > 0) {
                Thread t = new Thread(w, "stall-watch");
                t.setDaemon(true);
                t.start();
            }
            return w;
        }

        void arm(long now) {
            armedAt = now;
        }

        void disarm() {
            armedAt = 0;
        }

        @Override
        public void run() {
            long reported = 0;
            while (true) {
                try {
                    Thread.sleep(100);
                    long at = armedAt;
                    if (at == 0 || at == reported || System.nanoTime() - at < thresholdNanos) {
                        continue;
                    }
                    reported = at;
                    for (int n = 0; n < 2 && armedAt == at; n++) {
                        report(at);
                        Thread.sleep(1000);
                    }
                } catch (Throwable e) {
                    System.out.println("stall-watch: " + e);
                }
            }
        }

        private void report(long at) throws Exception {
            StringBuilder b = new StringBuilder();
            b.append(String.format("  STALL: first calls running for %.0f ms; main is %s at%n", ms(System.nanoTime() - at),
                    main.getState()));
            StackTraceElement[] st = main.getStackTrace();
            for (int i = 0; i < Math.min(60, st.length); i++) {
                b.append("      ").append(st[i]).append('\n');
            }
            long t0 = System.nanoTime();
            String queue = diagnosticCommand("compilerQueue");
            long t1 = System.nanoTime();
            String threads = diagnosticCommand("threadPrint");
            long t2 = System.nanoTime();
            long queued = queue.lines().filter(l -> l.matches("\\s*\\d+\\s+.*")).count();
            b.append(String.format("    Compiler.queue answered in %.1f ms: %d lines that look like tasks; first lines:%n",
                    ms(t1 - t0), queued));
            queue.lines().limit(8).forEach(l -> b.append("      ").append(l).append('\n'));
            b.append(String.format("    Thread.print answered in %.1f ms; main and compiler threads:%n", ms(t2 - t1)));
            for (String block : threads.split("\n\n")) {
                if (block.startsWith("\"main\"") || block.contains("CompilerThread") || block.startsWith("\"VM Thread\"")) {
                    block.lines().limit(14).forEach(l -> b.append("      ").append(l).append('\n'));
                }
            }
            System.out.print(b);
        }
    }

    /**
     * {@code -DroundsAfter=N}: after the first calls, N more rounds of all K, each timed, and the classes
     * defined in each: prints the slowest rounds. A round in which the JDK customizes one LambdaForm per
     * function (after 127 calls of a method handle through an invoker outside C2) stands out here.
     */
    private static final int ROUNDS_AFTER = Integer.getInteger("roundsAfter", 0);

    private static void roundsAfter(IntBinaryOperator[] gen) {
        long[] nanos = new long[ROUNDS_AFTER];
        long[] classes = new long[ROUNDS_AFTER];
        long total = 0;
        for (int r = 0; r < ROUNDS_AFTER; r++) {
            long c0 = CLASSES.getTotalLoadedClassCount();
            long t0 = System.nanoTime();
            sink = round(gen, sink);
            nanos[r] = System.nanoTime() - t0;
            classes[r] = CLASSES.getTotalLoadedClassCount() - c0;
            total += nanos[r];
        }
        Integer[] order = new Integer[ROUNDS_AFTER];
        for (int r = 0; r < ROUNDS_AFTER; r++) {
            order[r] = r;
        }
        Arrays.sort(order, (a, b) -> Long.compare(nanos[b], nanos[a]));
        StringBuilder b = new StringBuilder(String.format("  %d rounds after: %.1f ms in all; slowest (round: ms, classes defined):",
                ROUNDS_AFTER, ms(total)));
        for (int i = 0; i < Math.min(5, ROUNDS_AFTER); i++) {
            int r = order[i];
            b.append(String.format(" %d: %.1f, %d;", r + 2, ms(nanos[r]), classes[r])); // round 1 = the first calls
        }
        System.out.println(b);
    }

    /** @return {collections, milliseconds} of every collector so far: a pause inside a switch shows here. */
    private static long[] gc() {
        long n = 0;
        long ms = 0;
        for (java.lang.management.GarbageCollectorMXBean b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionCount());
            ms += Math.max(0, b.getCollectionTime());
        }
        return new long[] {n, ms};
    }

    /** Calls everything through one megamorphic interface call until all are C2-compiled. */
    private static Codelist warm(IntBinaryOperator[] gen, IntBinaryOperator[] plain, String what) throws Exception {
        long classes0 = CLASSES.getTotalLoadedClassCount();
        long t0 = System.nanoTime();
        long lastCheck = t0;
        int rounds = 0;
        Codelist cl = Codelist.read();
        while (cl.gen < gen.length || cl.plain < plain.length) {
            for (int r = 0; r < 200; r++) {
                sink = round(gen, sink) + round(plain, sink);
            }
            rounds += 200;
            long now = System.nanoTime();
            if (now - lastCheck > 1_000_000_000L) {
                lastCheck = now;
                cl = Codelist.read();
                if (now - t0 > WARM_TIMEOUT_NANOS) {
                    System.out.printf("  %s: gave up after %.1f s with %d/%d gen and %d/%d control at tier 4 (%d classes defined)%n",
                            what, (now - t0) / 1e9, cl.gen, gen.length, cl.plain, plain.length,
                            CLASSES.getTotalLoadedClassCount() - classes0);
                    return cl;
                }
            }
        }
        System.out.printf("  %s: all %d gen + %d control methods at tier 4 after %.1f s (%d rounds, %d classes defined)%n", what,
                gen.length, plain.length, (System.nanoTime() - t0) / 1e9, rounds, CLASSES.getTotalLoadedClassCount() - classes0);
        return cl;
    }

    /**
     * The peers' switch programs' set-up: the K operators {@code bench.workload.gen.C<i>} in a fresh
     * {@link GenLoader} under {@code parent}, each called {@code rounds} times (all K per round).
     * @return the operators; {@code warmNanos[0]} gets the warm-up's wall time
     */
    public static IntBinaryOperator[] generateAndWarm(ClassLoader parent, int k, int rounds, long[] warmNanos)
            throws ReflectiveOperationException {
        GenLoader loader = new GenLoader(parent);
        IntBinaryOperator[] ops = new IntBinaryOperator[k];
        for (int i = 0; i < k; i++) {
            ops[i] = loader.instance(GEN + i, i);
        }
        long w0 = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            sink += round(ops, r);
        }
        warmNanos[0] = System.nanoTime() - w0;
        return ops;
    }

    /** Calls every operator once, chaining the result (what the switch programs call "all K"). */
    public static int round(IntBinaryOperator[] a, int s) {
        for (int i = 0; i < a.length; i++) {
            s = a[i].applyAsInt(s, i);
        }
        return s;
    }

    public static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Runs a diagnostic command ({@code jcmd}'s, by its MBean operation name) in this JVM: its output. */
    static String diagnosticCommand(String operation) throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), operation,
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }

    /** The in-use tier-4 nmethods, from the {@code Compiler.codelist} diagnostic command. */
    static final class Codelist {
        int gen;
        int plain;
        int other;

        static Codelist read() throws Exception {
            String text = diagnosticCommand("compilerCodelist");
            Codelist c = new Codelist();
            for (String line : text.split("\n")) {
                // "<compile id> <comp level> <state> <method> [<addresses>]", state 0 = in use
                String[] f = line.split(" ", 5);
                if (f.length < 4 || !"4".equals(f[1]) || !"0".equals(f[2])) {
                    continue;
                }
                String m = f[3];
                if (m.startsWith("bench.workload.gen.C") && m.contains(".applyAsInt(")) {
                    c.gen++;
                } else if (m.startsWith("bench.workload.genplain.P") && m.contains(".applyAsInt(")) {
                    c.plain++;
                } else {
                    c.other++;
                }
            }
            return c;
        }
    }

    /** Defines the generated classes; the agent's transformer sees each defineClass. */
    public static final class GenLoader extends ClassLoader {
        public GenLoader(ClassLoader parent) {
            super(parent);
        }

        Class<?> define(String internalName, byte[] b) {
            return defineClass(internalName.replace('/', '.'), b, 0, b.length);
        }

        public IntBinaryOperator instance(String internalName, int i) throws ReflectiveOperationException {
            return (IntBinaryOperator) define(internalName, operatorClass(internalName, i))
                    .getDeclaredConstructor().newInstance();
        }
    }

    /** {@code public final class <name> implements IntBinaryOperator { int applyAsInt(x, y) { return x * (2i+1) + y; } }} */
    static byte[] operatorClass(String internalName, int i) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, internalName, null,
                "java/lang/Object", new String[] {"java/util/function/IntBinaryOperator"});
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "applyAsInt", "(II)I", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitLdcInsn(2 * i + 1);
        mv.visitInsn(Opcodes.IMUL);
        mv.visitVarInsn(Opcodes.ILOAD, 2);
        mv.visitInsn(Opcodes.IADD);
        if (KEYED) { // ^ (x >>> 7) + (y >>> 3): 15 bytes or more, so the method gets a static key
            mv.visitVarInsn(Opcodes.ILOAD, 1);
            mv.visitIntInsn(Opcodes.BIPUSH, 7);
            mv.visitInsn(Opcodes.IUSHR);
            mv.visitInsn(Opcodes.IXOR);
            mv.visitVarInsn(Opcodes.ILOAD, 2);
            mv.visitInsn(Opcodes.ICONST_3);
            mv.visitInsn(Opcodes.IUSHR);
            mv.visitInsn(Opcodes.IADD);
        }
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** {@code public final class Idle { public static void idle() { } }}: the "off" filter's only function. */
    static byte[] idleClass() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, IDLE, null,
                "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "idle", "()V", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
