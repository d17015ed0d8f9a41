package org.jftrace.cli.export;

import java.util.Set;

/** The main class (or jar, or module's class) of a java command line: the name a JVM goes by. */
final class MainClass {

    /** Launcher options whose value is the next word. */
    private static final Set<String> WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
            "--upgrade-module-path", "--add-modules", "--limit-modules", "--add-opens", "--add-exports", "--add-reads",
            "--patch-module", "--source", "--enable-native-access");

    private MainClass() {
    }

    /** @return the main class, the jar's file name without .jar, or "java" when the line names neither */
    static String of(String commandLine) {
        String[] w = commandLine.trim().split("\\s+");
        for (int i = 1; i < w.length; i++) {
            String t = w[i];
            if (t.equals("-jar") && i + 1 < w.length) {
                String jar = w[i + 1];
                jar = jar.substring(jar.lastIndexOf('/') + 1);
                return jar.endsWith(".jar") ? jar.substring(0, jar.length() - 4) : jar;
            }
            if ((t.equals("-m") || t.equals("--module")) && i + 1 < w.length) {
                String m = w[i + 1];
                return m.substring(m.indexOf('/') + 1);
            }
            if (WITH_VALUE.contains(t)) {
                i++;
            } else if (!t.startsWith("-") && !t.isEmpty()) {
                return t;
            }
        }
        return "java";
    }
}
