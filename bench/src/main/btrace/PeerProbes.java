import org.openjdk.btrace.core.annotations.*;
import static org.openjdk.btrace.core.BTraceUtils.*;
/**
 * BTrace's configuration of PeerBench: an entry probe counting calls and a RETURN probe
 * summing each call's {@code @Duration} over every method of the traced classes (BTrace's regex class
 * selection), the same classes as jftrace's {@code include=bench.workload.peers.*,include=com.fasterxml.jackson.*}.
 * The timer prints both sums once a second, which is how PeerBench proves the probes ran.
 *
 * <p>Not compiled by javac with the module: PeerBench compiles it at run time with btrace-client's
 * compiler (org.openjdk.btrace.compiler.Compiler), which verifies BTrace's restrictions.
 */
@BTrace
public class PeerProbes {
    private static long calls;
    private static long nanos;
    @OnMethod(clazz = "/bench\\.workload\\.peers\\..*|com\\.fasterxml\\.jackson\\..*/", method = "/.*/")
    public static void onEntry() {
        calls++;
    }
    @OnMethod(clazz = "/bench\\.workload\\.peers\\..*|com\\.fasterxml\\.jackson\\..*/", method = "/.*/", location = @Location(Kind.RETURN))
    public static void onReturn(@Duration long d) {
        nanos += d;
    }
    @OnTimer(1000)
    public static void report() {
        println(strcat(strcat(str(calls), " calls, ns "), str(nanos)));
    }
}
