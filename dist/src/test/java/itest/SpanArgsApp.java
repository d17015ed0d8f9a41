package itest;

/** {@link SpanApp} under another main class: its spans go to a Zipkin service of their own. */
public final class SpanArgsApp {

    public static void main(String[] args) throws Exception {
        SpanApp.main(args);
    }
}
