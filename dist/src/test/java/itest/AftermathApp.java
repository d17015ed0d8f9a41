package itest;

import java.lang.management.ManagementFactory;
import org.jftrace.ftrace.Ftrace;
import org.jftrace.ftrace.FtraceOps;

/**
 * What a switch leaves behind: {@value #N} functions are switched on, then off, twice, and after each
 * switch every one is called {@value #ROUNDS} times; prints how many classes the JVM defined during
 * those calls. Run with {@code -Xint}, so that every call goes through the site's chain interpreted, where
 * the JDK counts the calls of each method handle an exact invoker reaches and customizes it (one
 * hidden class) at the 128th.
 */
public final class AftermathApp {

    static final int N = 40;
    static final int ROUNDS = 300;

    public static void main(String[] args) {
        long sum = rounds(1); // links every site
        FtraceOps op = new FtraceOps("aftermath", 0, (ip, parentIp, o, regs) -> { });
        Ftrace.setFilter(op, "itest.AftermathApp.classes", true);
        Ftrace.registerFtraceFunction(op);
        for (int cycle = 1; cycle <= 2; cycle++) { // the first cycle also spins the JDK's shared forms
            for (boolean on : new boolean[] {true, false}) {
                Ftrace.setFilter(op, on ? "itest.AftermathApp$Fns.f*" : "itest.AftermathApp.classes", true);
                long c0 = classes();
                sum += rounds(ROUNDS);
                System.out.println("cycle " + cycle + " " + (on ? "on" : "off") + ": classes defined " + (classes() - c0));
            }
        }
        Ftrace.unregisterFtraceFunction(op);
        System.out.println("sum " + sum);
    }

    static long classes() {
        return ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
    }

    static long rounds(int n) {
        long s = 0;
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < N; i++) {
                s += Fns.call(i, r);
            }
        }
        return s;
    }

    static final class Fns {
        static int call(int i, int x) {
            switch (i) {
                case 0: return f00(x);
                case 1: return f01(x);
                case 2: return f02(x);
                case 3: return f03(x);
                case 4: return f04(x);
                case 5: return f05(x);
                case 6: return f06(x);
                case 7: return f07(x);
                case 8: return f08(x);
                case 9: return f09(x);
                case 10: return f10(x);
                case 11: return f11(x);
                case 12: return f12(x);
                case 13: return f13(x);
                case 14: return f14(x);
                case 15: return f15(x);
                case 16: return f16(x);
                case 17: return f17(x);
                case 18: return f18(x);
                case 19: return f19(x);
                case 20: return f20(x);
                case 21: return f21(x);
                case 22: return f22(x);
                case 23: return f23(x);
                case 24: return f24(x);
                case 25: return f25(x);
                case 26: return f26(x);
                case 27: return f27(x);
                case 28: return f28(x);
                case 29: return f29(x);
                case 30: return f30(x);
                case 31: return f31(x);
                case 32: return f32(x);
                case 33: return f33(x);
                case 34: return f34(x);
                case 35: return f35(x);
                case 36: return f36(x);
                case 37: return f37(x);
                case 38: return f38(x);
                case 39: return f39(x);
                default: throw new IllegalArgumentException("no function " + i);
            }
        }

        static int f00(int x) {
            return x * 3 + 1;
        }

        static int f01(int x) {
            return x * 5 + 1;
        }

        static int f02(int x) {
            return x * 7 + 1;
        }

        static int f03(int x) {
            return x * 9 + 1;
        }

        static int f04(int x) {
            return x * 11 + 1;
        }

        static int f05(int x) {
            return x * 13 + 1;
        }

        static int f06(int x) {
            return x * 15 + 1;
        }

        static int f07(int x) {
            return x * 17 + 1;
        }

        static int f08(int x) {
            return x * 19 + 1;
        }

        static int f09(int x) {
            return x * 21 + 1;
        }

        static int f10(int x) {
            return x * 23 + 1;
        }

        static int f11(int x) {
            return x * 25 + 1;
        }

        static int f12(int x) {
            return x * 27 + 1;
        }

        static int f13(int x) {
            return x * 29 + 1;
        }

        static int f14(int x) {
            return x * 31 + 1;
        }

        static int f15(int x) {
            return x * 33 + 1;
        }

        static int f16(int x) {
            return x * 35 + 1;
        }

        static int f17(int x) {
            return x * 37 + 1;
        }

        static int f18(int x) {
            return x * 39 + 1;
        }

        static int f19(int x) {
            return x * 41 + 1;
        }

        static int f20(int x) {
            return x * 43 + 1;
        }

        static int f21(int x) {
            return x * 45 + 1;
        }

        static int f22(int x) {
            return x * 47 + 1;
        }

        static int f23(int x) {
            return x * 49 + 1;
        }

        static int f24(int x) {
            return x * 51 + 1;
        }

        static int f25(int x) {
            return x * 53 + 1;
        }

        static int f26(int x) {
            return x * 55 + 1;
        }

        static int f27(int x) {
            return x * 57 + 1;
        }

        static int f28(int x) {
            return x * 59 + 1;
        }

        static int f29(int x) {
            return x * 61 + 1;
        }

        static int f30(int x) {
            return x * 63 + 1;
        }

        static int f31(int x) {
            return x * 65 + 1;
        }

        static int f32(int x) {
            return x * 67 + 1;
        }

        static int f33(int x) {
            return x * 69 + 1;
        }

        static int f34(int x) {
            return x * 71 + 1;
        }

        static int f35(int x) {
            return x * 73 + 1;
        }

        static int f36(int x) {
            return x * 75 + 1;
        }

        static int f37(int x) {
            return x * 77 + 1;
        }

        static int f38(int x) {
            return x * 79 + 1;
        }

        static int f39(int x) {
            return x * 81 + 1;
        }
    }
}
