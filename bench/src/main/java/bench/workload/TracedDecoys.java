package bench.workload;

/**
 * One hundred traced functions that the benchmarks never call: the targets of the "irrelevant" ops of
 * {@code CallOps}, each filtered to one of them (the kernel sample module's {@code tracee_irrelevant}).
 * Spread over 100 functions because jftrace allows at most 64 ops on one function.
 */
public final class TracedDecoys {

    private TracedDecoys() {
    }

    public static int d00(int x) {
        return x + 0;
    }

    public static int d01(int x) {
        return x + 1;
    }

    public static int d02(int x) {
        return x + 2;
    }

    public static int d03(int x) {
        return x + 3;
    }

    public static int d04(int x) {
        return x + 4;
    }

    public static int d05(int x) {
        return x + 5;
    }

    public static int d06(int x) {
        return x + 6;
    }

    public static int d07(int x) {
        return x + 7;
    }

    public static int d08(int x) {
        return x + 8;
    }

    public static int d09(int x) {
        return x + 9;
    }

    public static int d10(int x) {
        return x + 10;
    }

    public static int d11(int x) {
        return x + 11;
    }

    public static int d12(int x) {
        return x + 12;
    }

    public static int d13(int x) {
        return x + 13;
    }

    public static int d14(int x) {
        return x + 14;
    }

    public static int d15(int x) {
        return x + 15;
    }

    public static int d16(int x) {
        return x + 16;
    }

    public static int d17(int x) {
        return x + 17;
    }

    public static int d18(int x) {
        return x + 18;
    }

    public static int d19(int x) {
        return x + 19;
    }

    public static int d20(int x) {
        return x + 20;
    }

    public static int d21(int x) {
        return x + 21;
    }

    public static int d22(int x) {
        return x + 22;
    }

    public static int d23(int x) {
        return x + 23;
    }

    public static int d24(int x) {
        return x + 24;
    }

    public static int d25(int x) {
        return x + 25;
    }

    public static int d26(int x) {
        return x + 26;
    }

    public static int d27(int x) {
        return x + 27;
    }

    public static int d28(int x) {
        return x + 28;
    }

    public static int d29(int x) {
        return x + 29;
    }

    public static int d30(int x) {
        return x + 30;
    }

    public static int d31(int x) {
        return x + 31;
    }

    public static int d32(int x) {
        return x + 32;
    }

    public static int d33(int x) {
        return x + 33;
    }

    public static int d34(int x) {
        return x + 34;
    }

    public static int d35(int x) {
        return x + 35;
    }

    public static int d36(int x) {
        return x + 36;
    }

    public static int d37(int x) {
        return x + 37;
    }

    public static int d38(int x) {
        return x + 38;
    }

    public static int d39(int x) {
        return x + 39;
    }

    public static int d40(int x) {
        return x + 40;
    }

    public static int d41(int x) {
        return x + 41;
    }

    public static int d42(int x) {
        return x + 42;
    }

    public static int d43(int x) {
        return x + 43;
    }

    public static int d44(int x) {
        return x + 44;
    }

    public static int d45(int x) {
        return x + 45;
    }

    public static int d46(int x) {
        return x + 46;
    }

    public static int d47(int x) {
        return x + 47;
    }

    public static int d48(int x) {
        return x + 48;
    }

    public static int d49(int x) {
        return x + 49;
    }

    public static int d50(int x) {
        return x + 50;
    }

    public static int d51(int x) {
        return x + 51;
    }

    public static int d52(int x) {
        return x + 52;
    }

    public static int d53(int x) {
        return x + 53;
    }

    public static int d54(int x) {
        return x + 54;
    }

    public static int d55(int x) {
        return x + 55;
    }

    public static int d56(int x) {
        return x + 56;
    }

    public static int d57(int x) {
        return x + 57;
    }

    public static int d58(int x) {
        return x + 58;
    }

    public static int d59(int x) {
        return x + 59;
    }

    public static int d60(int x) {
        return x + 60;
    }

    public static int d61(int x) {
        return x + 61;
    }

    public static int d62(int x) {
        return x + 62;
    }

    public static int d63(int x) {
        return x + 63;
    }

    public static int d64(int x) {
        return x + 64;
    }

    public static int d65(int x) {
        return x + 65;
    }

    public static int d66(int x) {
        return x + 66;
    }

    public static int d67(int x) {
        return x + 67;
    }

    public static int d68(int x) {
        return x + 68;
    }

    public static int d69(int x) {
        return x + 69;
    }

    public static int d70(int x) {
        return x + 70;
    }

    public static int d71(int x) {
        return x + 71;
    }

    public static int d72(int x) {
        return x + 72;
    }

    public static int d73(int x) {
        return x + 73;
    }

    public static int d74(int x) {
        return x + 74;
    }

    public static int d75(int x) {
        return x + 75;
    }

    public static int d76(int x) {
        return x + 76;
    }

    public static int d77(int x) {
        return x + 77;
    }

    public static int d78(int x) {
        return x + 78;
    }

    public static int d79(int x) {
        return x + 79;
    }

    public static int d80(int x) {
        return x + 80;
    }

    public static int d81(int x) {
        return x + 81;
    }

    public static int d82(int x) {
        return x + 82;
    }

    public static int d83(int x) {
        return x + 83;
    }

    public static int d84(int x) {
        return x + 84;
    }

    public static int d85(int x) {
        return x + 85;
    }

    public static int d86(int x) {
        return x + 86;
    }

    public static int d87(int x) {
        return x + 87;
    }

    public static int d88(int x) {
        return x + 88;
    }

    public static int d89(int x) {
        return x + 89;
    }

    public static int d90(int x) {
        return x + 90;
    }

    public static int d91(int x) {
        return x + 91;
    }

    public static int d92(int x) {
        return x + 92;
    }

    public static int d93(int x) {
        return x + 93;
    }

    public static int d94(int x) {
        return x + 94;
    }

    public static int d95(int x) {
        return x + 95;
    }

    public static int d96(int x) {
        return x + 96;
    }

    public static int d97(int x) {
        return x + 97;
    }

    public static int d98(int x) {
        return x + 98;
    }

    public static int d99(int x) {
        return x + 99;
    }
}
