package org.jftrace.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * A connection to a JVM's control socket (see the runtime's {@code ControlServer}): requests are one
 * line, responses {@code ok LENGTH\n} and LENGTH bytes, {@code err MESSAGE\n}, or for a stream a
 * sequence of {@code data LENGTH\n} chunks.
 */
final class ControlClient implements Closeable {

    private final long pid;
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;

    private ControlClient(long pid, SocketChannel channel) {
        this.pid = pid;
        this.channel = channel;
        this.in = new BufferedInputStream(Channels.newInputStream(channel));
        this.out = Channels.newOutputStream(channel);
    }

    /** @throws IOException if nothing listens on the socket */
    static ControlClient connect(long pid, Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new ControlClient(pid, ch);
    }

    /** Sends one request and returns the body of its {@code ok}; an {@code err} becomes a {@link CliError}. */
    String request(String verb, String... args) {
        try {
            send(verb, args);
            String head = readLine();
            return body(head);
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /**
     * Sends a streaming request and passes each chunk to {@code sink} until it returns false, the
     * server ends the stream, or the connection is closed (see {@link #close}).
     */
    void stream(Predicate<String> sink, String verb, String... args) {
        try {
            send(verb, args);
            for (;;) {
                String head = readLine();
                if (!head.startsWith("data ")) {
                    body(head);
                    return;
                }
                String chunk = new String(in.readNBytes(length(head, 5)), StandardCharsets.UTF_8);
                if (!chunk.isEmpty() && !sink.test(chunk)) {
                    return;
                }
            }
        } catch (IOException e) {
            if (!channel.isOpen()) {
                return; // closed by us: --duration elapsed or the user stopped
            }
            throw lost(e);
        }
    }

    private CliError lost(IOException e) {
        return new CliError("lost the connection to JVM " + pid + ": " + (e.getMessage() == null ? e : e.getMessage()));
    }

    private void send(String verb, String... args) throws IOException {
        StringBuilder sb = new StringBuilder(verb);
        for (String a : args) {
            sb.append(' ').append(a.replace('\n', ' ').replace('\r', ' '));
        }
        sb.append('\n');
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private String body(String head) throws IOException {
        if (head.startsWith("ok ")) {
            return new String(in.readNBytes(length(head, 3)), StandardCharsets.UTF_8);
        }
        if (head.startsWith("err ")) {
            throw new CliError(head.substring(4));
        }
        throw new CliError("JVM " + pid + " answered something unexpected: '" + head + "'");
    }

    private int length(String head, int from) throws IOException {
        try {
            return Integer.parseInt(head.substring(from).trim());
        } catch (NumberFormatException e) {
            throw new IOException("bad response '" + head + "'");
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (;;) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the JVM closed the connection");
            }
            if (c == '\n') {
                return b.toString(StandardCharsets.UTF_8);
            }
            b.write(c);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
