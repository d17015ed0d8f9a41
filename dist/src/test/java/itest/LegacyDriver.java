package itest;

import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;

/** Calls the version-49 and version-50 classes the test generated (itest.Legacy49, itest.Legacy50). */
public final class LegacyDriver {

    public static void main(String[] args) throws Exception {
        FtraceOps op = Recorder.start("itest.Legacy*");
        for (String name : new String[] {"itest.Legacy49", "itest.Legacy50"}) {
            Class<?> c = Class.forName(name);
            Object o = c.getConstructor().newInstance();
            System.out.println("add " + c.getMethod("add", int.class, int.class).invoke(null, 2, 3));
            System.out.println("big " + c.getMethod("big", long.class).invoke(o, 5L));
            try {
                c.getMethod("boom").invoke(null);
            } catch (java.lang.reflect.InvocationTargetException e) {
                System.out.println("caught " + e.getCause().getClass().getName());
            }
        }
        Ftrace.unregisterFtraceFunction(op);
        System.out.println("untraced add " + Class.forName("itest.Legacy49").getMethod("add", int.class, int.class).invoke(null, 1, 1));
    }
}
