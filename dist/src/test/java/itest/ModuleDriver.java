package itest;

import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;

/** On the class path; calls into the named module {@code itest.mod} given with --add-modules. */
public final class ModuleDriver {

    public static void main(String[] args) throws Exception {
        Class<?> c = Class.forName("itest.mod.Greeter");
        System.out.println("named " + c.getModule().isNamed() + " " + c.getModule().getName());
        FtraceOps op = Recorder.start(":mod:itest.mod");
        System.out.println("result " + c.getMethod("greet", String.class).invoke(null, "module"));
        Ftrace.unregisterFtraceFunction(op);
    }
}
