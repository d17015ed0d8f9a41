package itest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A program whose work is the JDK's: collections, a stream of bytes, Base64 (whose block encoder is an
 * intrinsic candidate). {@code JdkApp N} makes N rounds and exits; {@code JdkApp loop} prints
 * "ready PID" and works until its standard input ends or says "s", as {@link LoopApp} does.
 */
public final class JdkApp {


    public static void main(String[] args) throws Exception {
        long sum = 0;
        if (args[0].equals("loop")) {
            StdinStop.watch();
            System.out.println("ready " + ProcessHandle.current().pid());
            System.out.flush();
            long rounds = 0;
            while (!StdinStop.requested) {
                sum += work(20);
                rounds++;
                Thread.sleep(1);
            }
            System.out.println("rounds " + rounds + " ok " + (work(7) == expected(7)));
            return;
        }
        int n = Integer.parseInt(args[0]);
        boolean ok = true;
        for (int r = 0; r < n; r++) {
            ok &= work(20) == expected(20);
        }
        System.out.println("done " + n + " ok " + ok);
    }

    /** Puts n keys into a map, sorts its values, and writes and encodes some bytes. */
    static int work(int n) throws IOException {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < n; i++) {
            m.put("k" + (i % 7), i);
        }
        List<Integer> values = new ArrayList<>(m.values());
        Collections.sort(values);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            p.print(values);
        }
        String b64 = Base64.getEncoder().encodeToString(bytes.toByteArray());
        return values.size() + b64.length();
    }

    static int expected(int n) {
        int keys = Math.min(n, 7);
        List<Integer> values = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            int last = k;
            for (int i = k; i < n; i += 7) {
                last = i;
            }
            values.add(last);
        }
        Collections.sort(values);
        int len = values.toString().getBytes(StandardCharsets.UTF_8).length;
        return keys + (len + 2) / 3 * 4;
    }
}
