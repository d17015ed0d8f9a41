package org.jftrace.cli;

import java.nio.file.Path;

/**
 * Where the agent puts a JVM's control socket. Its own class, apart from {@link Jvms}, so that the
 * quick control path finds the socket without loading the Attach API's classes.
 */
final class ControlSockets {

    private ControlSockets() {
    }

    /** {@code java.io.tmpdir/jftrace-USER/PID.sock}, the agent's default (a JVM with another tmpdir publishes its own). */
    static Path defaultPath(long pid) {
        // String.concat, not '+': javac compiles '+' to invokedynamic, whose first use spins classes (~10 ms)
        return Path.of(System.getProperty("java.io.tmpdir"), "jftrace-".concat(System.getProperty("user.name")),
                Long.toString(pid).concat(".sock"));
    }
}
