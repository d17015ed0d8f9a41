package org.jftrace.frameworks.armeria;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.annotation.Default;
import com.linecorp.armeria.server.annotation.Get;
import com.linecorp.armeria.server.annotation.Param;
import com.linecorp.armeria.server.annotation.Post;
import com.linecorp.armeria.server.annotation.ProducesJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * A small Armeria server on 127.0.0.1 and an ephemeral port, with an annotated service. When it
 * listens, the port is written to the file named by the system property {@code app.portFile}.
 *
 * <ul>
 *   <li>{@code GET /hello?name=N}: text {@code hello N};</li>
 *   <li>{@code GET /json?name=N}: a JSON object computed from N;</li>
 *   <li>{@code POST /echo}: the request body, upper-cased, with its length.</li>
 * </ul>
 */
public final class ArmeriaApp {

    /** A JSON answer. */
    public record Greeting(String name, int length, List<String> letters, String reversed) {
    }

    /** The annotated service. */
    public static final class Endpoints {

        @Get("/hello")
        public HttpResponse hello(@Param("name") @Default("world") String name) {
            return HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "hello " + name);
        }

        @Get("/json")
        @ProducesJson
        public Greeting json(@Param("name") @Default("world") String name) {
            return new Greeting(name, name.length(), name.chars().mapToObj(c -> String.valueOf((char) c)).distinct().sorted().toList(),
                    new StringBuilder(name).reverse().toString());
        }

        @Post("/echo")
        public HttpResponse echo(String body) {
            return HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, body.length() + ":" + body.toUpperCase(Locale.ROOT));
        }
    }

    public static void main(String[] args) {
        Server server = Server.builder()
                .http(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .annotatedService(new Endpoints())
                .build();
        server.closeOnJvmShutdown();
        server.start().join();
        writePort(server.activeLocalPort());
    }

    /** Writes the port to {@code app.portFile}, whole or not at all (a temporary file moved into place). */
    static void writePort(int port) {
        String file = System.getProperty("app.portFile");
        if (file == null) {
            System.out.println("listening on 127.0.0.1:" + port);
            return;
        }
        try {
            Path target = Path.of(file);
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.writeString(tmp, Integer.toString(port), StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
