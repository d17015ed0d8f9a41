package org.jftrace.cli;

/**
 * The jar's {@code Main-Class}: control requests go straight to the JVM's socket
 * ({@link QuickControl}), everything else to the picocli command ({@link Main}), which this class
 * does not touch until needed, so a control request loads none of picocli.
 */
public final class Entry {

    private Entry() {
    }

    public static void main(String[] args) {
        int code = QuickControl.run(args);
        System.exit(code != QuickControl.NOT_HANDLED ? code : Main.run(args));
    }
}
