package itest;

import java.io.InputStream;

/**
 * A class loader that refuses to delegate org.jftrace.* (as some plugin loaders do): classes it defines
 * cannot link to the runtime, so the agent must leave them unchanged and report them.
 */
public final class HostileLoaderApp {

    static final class Hostile extends ClassLoader {
        Hostile() {
            super(null);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("org.jftrace.")) {
                throw new ClassNotFoundException(name + " is hidden from this loader");
            }
            if (name.equals("itest.Isolated")) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    if (c != null) {
                        return c;
                    }
                    try (InputStream in = HostileLoaderApp.class.getResourceAsStream("/itest/Isolated.class")) {
                        byte[] b = in.readAllBytes();
                        return defineClass(name, b, 0, b.length);
                    } catch (java.io.IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
            }
            return super.loadClass(name, resolve);
        }
    }

    public static void main(String[] args) throws Exception {
        Class<?> c = new Hostile().loadClass("itest.Isolated");
        System.out.println("result " + c.getMethod("hello", String.class).invoke(null, "hostile"));
    }
}
