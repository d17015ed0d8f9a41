package itest;

/** Loaded by a class loader with no parent: its sites must still link to the boot runtime. */
public final class Isolated {

    public static String hello(String who) {
        return greet(who) + "!";
    }

    private static String greet(String who) {
        return "hello " + who;
    }
}
