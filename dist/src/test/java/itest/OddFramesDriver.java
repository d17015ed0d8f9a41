package itest;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;

/**
 * Calls the classes {@link OddFrames} wrote, traced by a {@link Recorder} when the agent is there
 * (argument {@code trace}), and prints what each call returned.
 */
public final class OddFramesDriver {

    public static void main(String[] args) throws Exception {
        FtraceOps op = args.length > 0 && args[0].equals("trace") ? Recorder.start("itest.odd.*") : null;
        Class<?> ctor = Class.forName("itest.odd.ChoppedCtor");
        Object kept = ctor.getConstructor(Object.class, Iterable.class).newInstance("a", List.of());
        System.out.println("kept " + ctor.getField("kept").get(kept));
        Object notKept = ctor.getConstructor(Object.class, Iterable.class).newInstance("b", null);
        System.out.println("kept " + ctor.getField("kept").get(notKept));

        Class<?> chopped = Class.forName("itest.odd.Chopped");
        System.out.println("length " + chopped.getMethod("length", String.class).invoke(null, "abc"));
        System.out.println("length " + chopped.getMethod("length", String.class).invoke(null, (Object) null));
        try {
            chopped.getMethod("fail", String.class).invoke(null, "x");
        } catch (InvocationTargetException e) {
            System.out.println("fail caught " + e.getCause().getClass().getName());
        }
        System.out.println("countdown " + chopped.getMethod("countdown", int.class).invoke(null, 5));

        Class<?> dead = Class.forName("itest.odd.DeadArgs");
        System.out.println("dead " + ((Exception) dead.getConstructor(boolean.class, String.class).newInstance(true, "m")).getMessage());
        System.out.println("dead " + ((Exception) dead.getConstructor(boolean.class, String.class).newInstance(false, "m")).getMessage());

        Class<?> reused = Class.forName("itest.odd.ReusedThis");
        System.out.println("reused " + reused.getConstructor().newInstance().getClass().getSimpleName());
        Class<?> many = Class.forName("itest.odd.ManySupers");
        System.out.println("many " + ((Exception) many.getConstructor(int.class, String.class).newInstance(1, "m")).getMessage());
        System.out.println("many " + ((Exception) many.getConstructor(int.class, String.class).newInstance(0, "m")).getMessage());
        try {
            Class.forName("itest.odd.Broken");
        } catch (Throwable t) {
            System.out.println("broken " + t.getClass().getName());
        }
        if (op != null) {
            Ftrace.unregisterFtraceFunction(op);
        }
    }
}
