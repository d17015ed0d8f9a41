package itest.mod;

public final class Greeter {
    public static String greet(String who) {
        return shout("hi " + who);
    }

    static String shout(String s) {
        return s.toUpperCase();
    }
}
