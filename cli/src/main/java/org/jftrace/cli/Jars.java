package org.jftrace.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Where jftrace.jar is, and the jars nested in it. */
final class Jars {

    private Jars() {
    }

    static Path self() throws URISyntaxException {
        return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
    }

    /** Copies a jar nested under META-INF/jftrace/ to a temporary file. */
    static Path extract(String name) throws IOException {
        try (InputStream in = Main.class.getClassLoader().getResourceAsStream("META-INF/jftrace/" + name)) {
            if (in == null) {
                throw new IOException(name + " is not inside jftrace.jar");
            }
            Path f = Files.createTempFile("jftrace-", "-" + name);
            f.toFile().deleteOnExit();
            Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
            return f;
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
