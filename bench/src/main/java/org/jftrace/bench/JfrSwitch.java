package org.jftrace.bench;

import static org.jftrace.bench.SwitchTenThousand.ms;
import static org.jftrace.bench.SwitchTenThousand.round;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.IntBinaryOperator;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * The peers' switch time: how long JDK Flight Recorder (JDK 25, JEP 520) takes to switch
 * method timing on for the same 10,000 generated functions {@link SwitchTenThousand} switches with
 * jftrace, and off again. A plain main program, like SwitchTenThousand: {@code Recording.start()} with a
 * {@code jdk.MethodTiming} filter naming the 10,000 methods retransforms their classes before it
 * returns; {@code stop()} takes the instrumentation out again.
 *
 * <p>HOW TO RUN (JDK 25; the generator class needs the runtime jar):
 * {@code java -cp bench/target/benchmarks.jar:runtime/target/jftrace-runtime-0.1.0-SNAPSHOT.jar org.jftrace.bench.JfrSwitch [K] [warm rounds]}.
 * Prints the start and stop times, the first call of all K after start, and how many distinct methods
 * the recording timed (the proof that it traced them).
 */
public final class JfrSwitch {

    private static volatile int sink;

    private JfrSwitch() {
    }

    public static void main(String[] args) throws Exception {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        if (Runtime.version().feature() < 25) {
            System.out.println("JfrSwitch: JFR method timing needs JDK 25 (JEP 520); this is " + Runtime.version());
            return;
        }
        long[] warm = new long[1];
        IntBinaryOperator[] ops = SwitchTenThousand.generateAndWarm(JfrSwitch.class.getClassLoader(), k, rounds, warm);
        StringJoiner filter = new StringJoiner(";");
        for (IntBinaryOperator op : ops) {
            filter.add(op.getClass().getName() + "::applyAsInt");
        }
        System.out.printf("JfrSwitch: K=%d java=%s; %d warm rounds of all K in %.0f ms (C2 state not checked)%n",
                k, System.getProperty("java.version"), rounds, ms(warm[0]));
        for (int rep = 1; rep <= 2; rep++) {
            try (Recording rec = new Recording()) {
                rec.enable("jdk.MethodTiming").with("filter", filter.toString());
                long t0 = System.nanoTime();
                rec.start();
                long t1 = System.nanoTime();
                sink += round(ops, rep);
                long t2 = System.nanoTime();
                rec.stop();
                long t3 = System.nanoTime();
                Path f = Files.createTempFile("jfrswitch", ".jfr");
                try {
                    rec.dump(f);
                    Set<String> timed = new HashSet<>();
                    for (RecordedEvent e : RecordingFile.readAllEvents(f)) {
                        if (e.getEventType().getName().equals("jdk.MethodTiming")) {
                            RecordedMethod m = e.getValue("method");
                            if (m != null && m.getType().getName().startsWith("bench.workload.gen.C")
                                    && e.getLong("invocations") > 0) {
                                timed.add(m.getType().getName());
                            }
                        }
                    }
                    System.out.printf("switch %d: start (on) %.2f ms | first calls of all %d: %.2f ms | stop (off) %.2f ms"
                            + " | methods timed with invocations > 0: %d %s%n", rep, ms(t1 - t0), k, ms(t2 - t1),
                            ms(t3 - t2), timed.size(), timed.size() == k ? "OK" : "MISSING");
                } finally {
                    Files.deleteIfExists(f);
                }
            }
            for (int r = 0; r < rounds; r++) { // back to steady state before the next switch
                sink += round(ops, r);
            }
        }
    }
}
