package org.jftrace.cli.export;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * One {@code --export SCHEME=URL}: where spans go and in which protocol. Parsing it loads nothing of
 * OpenTelemetry, so a bad value is refused before any tracing starts.
 */
public final class ExportTarget {

    /** The protocols a target may name. */
    public enum Protocol {
        /** OTLP over HTTP with protobuf bodies (a Collector's, Jaeger's or Tempo's port 4318). */
        OTLP("otlp", "/v1/traces"),
        /** Zipkin's v2 JSON, POSTed to /api/v2/spans. */
        ZIPKIN("zipkin", "/api/v2/spans");

        final String scheme;
        /** The path a URL with none gets: the protocol's usual one. */
        final String defaultPath;

        Protocol(String scheme, String defaultPath) {
            this.scheme = scheme;
            this.defaultPath = defaultPath;
        }
    }

    public final Protocol protocol;
    /** The URL spans are POSTed to. */
    public final URI endpoint;
    /** As the user wrote it, for messages. */
    public final String text;

    private ExportTarget(Protocol protocol, URI endpoint, String text) {
        this.protocol = protocol;
        this.endpoint = endpoint;
        this.text = text;
    }

    /**
     * Parses {@code otlp=http://host:4318} or {@code zipkin=http://host:9411}; a URL without a path gets
     * the protocol's usual one.
     *
     * @throws IllegalArgumentException one line naming the bad token
     */
    public static ExportTarget parse(String value) {
        int eq = value.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--export '" + value + "': expected SCHEME=URL, e.g. otlp=http://localhost:4318"
                    + " or zipkin=http://localhost:9411");
        }
        String scheme = value.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        Protocol protocol = null;
        for (Protocol p : Protocol.values()) {
            if (p.scheme.equals(scheme)) {
                protocol = p;
            }
        }
        if (protocol == null) {
            String hint = scheme.equals("otlp-grpc") || scheme.equals("grpc")
                    ? " (gRPC is not supported: use otlp= with the receiver's HTTP port, 4318)" : "";
            throw new IllegalArgumentException("--export: unknown scheme '" + value.substring(0, eq) + "' (known: otlp,"
                    + " zipkin)" + hint);
        }
        String url = value.substring(eq + 1).trim();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--export " + scheme + ": bad URL '" + url + "' (" + e.getReason() + ")");
        }
        String s = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("--export " + scheme + ": bad URL '" + url + "' (expected http://HOST:PORT"
                    + protocol.defaultPath + ")");
        }
        if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
            uri = uri.resolve(protocol.defaultPath);
        }
        return new ExportTarget(protocol, uri, scheme + "=" + uri);
    }

    @Override
    public String toString() {
        return text;
    }
}
