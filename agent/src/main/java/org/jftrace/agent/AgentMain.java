package org.jftrace.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.jar.JarFile;

/**
 * The agent's entry points ({@code Premain-Class} and {@code Agent-Class}).
 *
 * <p>It puts the runtime (a jar nested in jftrace.jar) on the bootstrap class path before any class
 * that uses it is loaded, so that sites in classes of every loader (a loader with no parent, a named
 * module) resolve the same runtime. This class must therefore not mention any runtime class itself.
 */
public final class AgentMain {

    static final String NESTED_RUNTIME = "META-INF/jftrace/jftrace-runtime.jar";

    private AgentMain() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    private static void start(String args, Instrumentation inst, boolean attached) {
        try {
            installRuntime(inst);
        } catch (Throwable t) {
            System.err.println("jftrace: cannot put the runtime on the boot class path, tracing is off: " + t);
            return;
        }
        Agent.start(args, inst, attached);
    }

    private static void installRuntime(Instrumentation inst) throws Exception {
        try {
            Class.forName("org.jftrace.ftrace.Ftrace", false, null);
            return; // already there: a second attach, or a test that put it there itself
        } catch (ClassNotFoundException expected) {
            // install it below
        }
        String explicit = System.getProperty("jftrace.runtime.jar");
        Path jar = explicit != null ? Path.of(explicit) : extractNestedRuntime();
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
    }

    /** Copies the nested runtime jar to an owner-only directory, named by its content hash. */
    private static Path extractNestedRuntime() throws IOException, URISyntaxException, java.security.NoSuchAlgorithmException {
        byte[] bytes;
        try (InputStream in = AgentMain.class.getClassLoader().getResourceAsStream(NESTED_RUNTIME)) {
            if (in == null) {
                throw new IOException(NESTED_RUNTIME + " is missing from " + ownJar());
            }
            bytes = in.readAllBytes();
        }
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            hex.append(String.format("%02x", digest[i]));
        }
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "jftrace-" + System.getProperty("user.name"));
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir);
            }
        }
        Path target = dir.resolve("jftrace-runtime-" + hex + ".jar");
        if (!Files.exists(target) || Files.size(target) != bytes.length
                || !java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
            Path tmp = Files.createTempFile(dir, "runtime", ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }

    static File ownJar() throws URISyntaxException {
        return new File(AgentMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
