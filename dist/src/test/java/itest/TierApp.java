package itest;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import javax.management.ObjectName;

/**
 * Calls instrumented methods only through a non-constant MethodHandle.invokeExact and only through
 * reflection, as frameworks do, then prints the compilation level each reached (Compiler.codelist).
 */
public final class TierApp {

    static volatile MethodHandle handle;

    public static int viaHandle(int x) {
        return x * 31 + 7;
    }

    public static int viaReflection(int x) {
        return x * 17 + 3;
    }

    public static void main(String[] args) throws Throwable {
        handle = MethodHandles.lookup().findStatic(TierApp.class, "viaHandle", MethodType.methodType(int.class, int.class));
        Method m = TierApp.class.getMethod("viaReflection", int.class);
        long deadline = System.nanoTime() + 20_000_000_000L;
        int s = 0;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 20_000; i++) {
                s += (int) handle.invokeExact(i);
                s += (Integer) m.invoke(null, i);
            }
            String list = codelist();
            if (level(list, "viaHandle") == 4 && level(list, "viaReflection") == 4) {
                break;
            }
        }
        String list = codelist();
        System.out.println("viaHandle " + level(list, "viaHandle"));
        System.out.println("viaReflection " + level(list, "viaReflection"));
        System.out.println("sum " + s);
    }

    static String codelist() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerCodelist",
                new Object[0], new String[0]);
    }

    /** Highest level among in-use nmethods of itest.TierApp.NAME: lines look like "id level state itest.TierApp.NAME(I)I [...]". */
    static int level(String codelist, String name) {
        int best = 0;
        for (String line : codelist.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[3].startsWith("itest.TierApp." + name + "(") && f[2].equals("0")) {
                best = Math.max(best, Integer.parseInt(f[1]));
            }
        }
        return best;
    }
}
