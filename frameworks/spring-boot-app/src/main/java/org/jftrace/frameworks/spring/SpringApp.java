package org.jftrace.frameworks.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A small Spring Boot web application (Spring MVC on embedded Tomcat) on 127.0.0.1 and an ephemeral
 * port (application.properties). When Tomcat listens, the port is written to the file named by the
 * system property {@code app.portFile}.
 *
 * <ul>
 *   <li>{@code GET /hello?name=N}: text {@code hello N};</li>
 *   <li>{@code GET /json?name=N}: a JSON object computed from N;</li>
 *   <li>{@code POST /echo}: the request body, upper-cased, with its length.</li>
 * </ul>
 */
@SpringBootApplication
@RestController
public class SpringApp {

    public static void main(String[] args) {
        SpringApplication.run(SpringApp.class, args);
    }

    /** A JSON answer. */
    public record Greeting(String name, int length, List<String> letters, String reversed) {
    }

    @GetMapping(value = "/hello", produces = MediaType.TEXT_PLAIN_VALUE)
    public String hello(@RequestParam(name = "name", defaultValue = "world") String name) {
        return "hello " + name;
    }

    @GetMapping(value = "/json", produces = MediaType.APPLICATION_JSON_VALUE)
    public Greeting json(@RequestParam(name = "name", defaultValue = "world") String name) {
        return new Greeting(name, name.length(), name.chars().mapToObj(c -> String.valueOf((char) c)).distinct().sorted().toList(),
                new StringBuilder(name).reverse().toString());
    }

    @PostMapping(value = "/echo", produces = MediaType.TEXT_PLAIN_VALUE)
    public String echo(@RequestBody String body) {
        return body.length() + ":" + body.toUpperCase(Locale.ROOT);
    }

    @Bean
    ApplicationListener<WebServerInitializedEvent> portFile() {
        return event -> writePort(event.getWebServer().getPort());
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
