package itest;

/** An argument whose toString and hashCode must never be called by the tracer. */
public final class ArgsItem {
    @Override
    public String toString() {
        throw new IllegalStateException("toString called");
    }

    @Override
    public int hashCode() {
        throw new IllegalStateException("hashCode called");
    }
}
