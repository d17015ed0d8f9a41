package org.jftrace.cli.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import java.net.InetAddress;
import org.jftrace.cli.report.Jvm;

/** The resource a traced JVM's spans carry: which program, which process, which host. */
final class JvmResource {

    static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    static final AttributeKey<Long> PROCESS_PID = AttributeKey.longKey("process.pid");
    static final AttributeKey<String> PROCESS_COMMAND = AttributeKey.stringKey("process.command");
    static final AttributeKey<String> PROCESS_COMMAND_LINE = AttributeKey.stringKey("process.command_line");
    static final AttributeKey<String> RUNTIME_VERSION = AttributeKey.stringKey("process.runtime.version");
    static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");

    private JvmResource() {
    }

    /** From the stream's META: its description is "java VERSION: COMMAND LINE". */
    static Resource of(Jvm jvm) {
        String d = jvm.description;
        int colon = d.indexOf(": ");
        String version = d.startsWith("java ") ? d.substring(5, colon < 0 ? d.length() : colon) : "";
        String line = colon < 0 ? "" : d.substring(colon + 2);
        String main = MainClass.of(line);
        var b = Attributes.builder().put(SERVICE_NAME, main).put(PROCESS_COMMAND, main).put(PROCESS_PID, jvm.pid)
                .put(HOST_NAME, hostName());
        if (!line.isEmpty()) {
            b.put(PROCESS_COMMAND_LINE, line);
        }
        if (!version.isEmpty()) {
            b.put(RUNTIME_VERSION, version);
        }
        return Resource.create(b.build());
    }

    /** The traced JVM runs on this host: record starts it, attach needs its local socket. */
    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            String h = System.getenv("HOSTNAME");
            return h != null ? h : "localhost";
        }
    }
}
