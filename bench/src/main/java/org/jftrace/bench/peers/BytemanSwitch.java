package org.jftrace.bench.peers;

import static org.jftrace.bench.SwitchTenThousand.ms;
import static org.jftrace.bench.SwitchTenThousand.round;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.IntBinaryOperator;
import org.jftrace.bench.SwitchTenThousand;

/**
 * The peers' switch time: how long Byteman 4.0.27 takes to switch one rule on for the same
 * 10,000 generated functions {@code SwitchTenThousand} switches with jftrace, and off again. On = the
 * rule below submitted to Byteman's agent listener (the {@code LOAD} request {@code bmsubmit} and
 * {@code org.jboss.byteman.agent.submit.Submit} send; the listener answers once the agent has
 * retransformed every matching class); off = the {@code DELETE} request for the same script
 * ({@code bmsubmit -u}), answered once the classes are retransformed back:
 * <pre>
 *   RULE jftrace-switch
 *   INTERFACE java.util.function.IntBinaryOperator
 *   METHOD applyAsInt(int,int)
 *   HELPER org.jftrace.bench.peers.BytemanSwitchHelper
 *   AT ENTRY
 *   IF TRUE
 *   DO hit()
 *   ENDRULE
 * </pre>
 * A plain main program; needs Byteman's agent with its listener ({@code listener:true}, port 9091 unless
 * {@code -Dbyteman.port=N} and the agent option {@code port:N} say otherwise).
 *
 * <p>HOW TO RUN: {@code java -javaagent:bench/target/peers/byteman.jar=listener:true -cp bench/target/benchmarks.jar:runtime/target/jftrace-runtime-0.1.0-SNAPSHOT.jar org.jftrace.bench.peers.BytemanSwitch [K] [warm rounds]}.
 * Prints the times, the classes the agent lists the rule as injected into (its {@code LIST} answer,
 * read after the timed switch), the first call of all K after the switch, and the calls the rule's
 * action counted then (the proof: K after on, 0 after off).
 */
public final class BytemanSwitch {

    private static final String RULE = "RULE jftrace-switch\n"
            + "INTERFACE java.util.function.IntBinaryOperator\n"
            + "METHOD applyAsInt(int,int)\n"
            + "HELPER org.jftrace.bench.peers.BytemanSwitchHelper\n"
            + "AT ENTRY\n"
            + "IF TRUE\n"
            + "DO hit()\n"
            + "ENDRULE\n";
    private static final String SCRIPT = "SCRIPT jftrace-switch.btm\n" + RULE + "ENDSCRIPT\n";

    private static volatile int sink;

    private BytemanSwitch() {
    }

    public static void main(String[] args) throws Exception {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int port = Integer.getInteger("byteman.port", 9091);
        if (System.getProperty("org.jboss.byteman.agent.loaded") == null) {
            throw new IllegalStateException("run with -javaagent:bench/target/peers/byteman.jar=listener:true");
        }
        String version = request(port, "VERSION\n").trim();
        long[] warm = new long[1];
        IntBinaryOperator[] ops = SwitchTenThousand.generateAndWarm(BytemanSwitch.class.getClassLoader(), k, rounds, warm);
        System.out.printf("BytemanSwitch: K=%d java=%s byteman=%s; %d warm rounds of all K in %.0f ms (C2 state not checked)%n",
                k, System.getProperty("java.version"), version.replace('\n', ' '), rounds, ms(warm[0]));
        for (int rep = 1; rep <= 2; rep++) {
            long t0 = System.nanoTime();
            String loaded = request(port, "LOAD\n" + SCRIPT + "ENDLOAD\n");
            long t1 = System.nanoTime();
            int injected = count(request(port, "LIST\n"), "bench.workload.gen.C");
            long before = BytemanSwitchHelper.HITS.get();
            long installedBefore = BytemanSwitchHelper.INSTALLED.get();
            long t2 = System.nanoTime();
            sink += round(ops, rep);
            long t3 = System.nanoTime();
            long recorded = BytemanSwitchHelper.HITS.get() - before;
            long installed = BytemanSwitchHelper.INSTALLED.get() - installedBefore;
            long t4 = System.nanoTime();
            String deleted = request(port, "DELETE\n" + SCRIPT + "ENDDELETE\n");
            long t5 = System.nanoTime();
            int injectedAfter = count(request(port, "LIST\n"), "bench.workload.gen.C");
            long before2 = BytemanSwitchHelper.HITS.get();
            sink += round(ops, rep);
            long recordedOff = BytemanSwitchHelper.HITS.get() - before2;
            System.out.printf("switch %d: on (LOAD) %.2f ms, listed in %d classes | first calls of all %d: %.2f ms, "
                            + "rule installed %d times, hits %d %s | off (DELETE) %.2f ms, listed in %d, hits after %d %s%n",
                    rep, ms(t1 - t0), injected, k, ms(t3 - t2), installed, recorded, recorded == k ? "OK" : "MISSING",
                    ms(t5 - t4), injectedAfter, recordedOff, recordedOff == 0 ? "OK" : "STILL ON");
            if (rep == 1) {
                System.out.println("  listener's answer to LOAD: " + firstLines(loaded) + " | to DELETE: " + firstLines(deleted));
            }
            for (int r = 0; r < rounds; r++) {
                sink += round(ops, r);
            }
        }
    }

    /** One request to Byteman's agent listener, as Submit sends it; returns the answer up to its "OK". */
    private static String request(int port, String text) throws IOException {
        try (Socket s = new Socket("localhost", port)) {
            Writer w = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8);
            w.write(text);
            w.flush();
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (String line = r.readLine(); line != null && !line.trim().equals("OK"); line = r.readLine()) {
                sb.append(line).append('\n');
            }
            String answer = sb.toString();
            if (answer.contains("ERROR") || answer.contains("EXCEPTION")) {
                throw new IOException("Byteman's listener: " + answer);
            }
            return answer;
        }
    }

    /** The trigger classes of the generated functions a LIST answer names (each once). */
    private static int count(String list, String prefix) {
        java.util.Set<String> classes = new java.util.HashSet<>();
        for (String line : list.split("\n")) {
            int i = line.indexOf(prefix);
            if (i >= 0) {
                int j = i + prefix.length();
                while (j < line.length() && Character.isDigit(line.charAt(j))) {
                    j++;
                }
                classes.add(line.substring(i, j));
            }
        }
        return classes.size();
    }

    private static String firstLines(String s) {
        String[] lines = s.split("\n");
        return lines.length + " lines, first: \"" + lines[0] + "\"";
    }
}
