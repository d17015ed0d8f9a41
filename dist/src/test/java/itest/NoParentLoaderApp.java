package itest;

import java.net.URL;
import java.net.URLClassLoader;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;

/** Loads {@link Isolated} through a URLClassLoader whose parent is the bootstrap loader. */
public final class NoParentLoaderApp {

    public static void main(String[] args) throws Exception {
        URL classes = NoParentLoaderApp.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes}, null)) {
            Class<?> c = loader.loadClass("itest.Isolated");
            System.out.println("loader " + (c.getClassLoader() == loader));
            FtraceOps op = Recorder.start("itest.Isolated.*");
            System.out.println("result " + c.getMethod("hello", String.class).invoke(null, "jvm"));
            Ftrace.unregisterFtraceFunction(op);
        }
    }
}
