package org.jftrace.control;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One client of the control server, with every read and write bounded in size and time: a client
 * that sends a line without end, sends nothing, or stops reading is dropped, never waited for
 * forever. The channel is non-blocking and waits go through a selector with a deadline.
 */
final class Connection implements Closeable {

    /** The longest request line accepted (the line, without its newline). */
    static final int MAX_LINE = 64 * 1024;

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer in = ByteBuffer.allocate(4096);
    private byte[] line = new byte[256];
    private int lineLength;

    Connection(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, 0);
        in.flip(); // empty, in read mode
    }

    /** A request the server refuses to read further: too long, too slow. */
    static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }

    /**
     * Reads one line (UTF-8, newline-terminated, at most {@link #MAX_LINE} bytes).
     *
     * @param timeoutMillis how long the whole line may take; 0 waits without limit
     * @return the line without its newline, or null if the client closed the connection first
     */
    String readLine(long timeoutMillis) throws IOException {
        long deadline = timeoutMillis == 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMillis * 1_000_000L;
        lineLength = 0;
        for (;;) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    int n = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                    return new String(line, 0, n, StandardCharsets.UTF_8);
                }
                if (lineLength == MAX_LINE) {
                    throw new ProtocolException("request longer than " + MAX_LINE + " bytes");
                }
                if (lineLength == line.length) {
                    line = Arrays.copyOf(line, Math.min(MAX_LINE, line.length * 2));
                }
                line[lineLength++] = b;
            }
            in.clear();
            int n = readSome(deadline);
            in.flip();
            if (n < 0) {
                return null;
            }
        }
    }

    private int readSome(long deadline) throws IOException {
        for (;;) {
            int n = channel.read(in);
            if (n != 0) {
                return n;
            }
            long left = deadline == Long.MAX_VALUE ? 0 : (deadline - System.nanoTime()) / 1_000_000L;
            if (deadline != Long.MAX_VALUE && left <= 0) {
                throw new ProtocolException("request not complete in time");
            }
            await(SelectionKey.OP_READ, left);
        }
    }

    /**
     * Whether the client has closed its end or sent anything (which, during a stream, means stop).
     * Does not wait.
     */
    boolean clientStopped() throws IOException {
        if (in.hasRemaining()) {
            return true;
        }
        in.clear();
        int n = channel.read(in);
        in.flip();
        return n != 0;
    }

    /** Writes all of {@code bytes}, giving up if the client takes no byte for {@code stallMillis}. */
    void write(byte[] bytes, long stallMillis) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                if (await(SelectionKey.OP_WRITE, stallMillis) == 0) {
                    throw new ProtocolException("client stopped reading");
                }
            }
        }
    }

    /** A response: {@code ok LENGTH\n} and the body. */
    void ok(String body, long stallMillis) throws IOException {
        frame("ok", body, stallMillis);
    }

    /** A chunk of a stream: {@code data LENGTH\n} and the chunk. */
    void data(String chunk, long stallMillis) throws IOException {
        frame("data", chunk, stallMillis);
    }

    private void frame(String kind, String body, long stallMillis) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = (kind + " " + b.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + b.length);
        System.arraycopy(b, 0, all, head.length, b.length);
        write(all, stallMillis);
    }

    /** An error response: {@code err MESSAGE\n}, the message on one line. */
    void err(String message, long stallMillis) throws IOException {
        String m = message == null ? "error" : message.replace('\n', ' ').replace('\r', ' ');
        if (m.length() > 4000) {
            m = m.substring(0, 4000) + "...";
        }
        write(("err " + m + "\n").getBytes(StandardCharsets.UTF_8), stallMillis);
    }

    /**
     * After an error on a request that was not read whole: stops sending, and discards what the
     * client still sends (at most 1 MiB, for at most 1 s), so that closing does not reset the
     * connection before the client has read the error.
     */
    void linger() {
        try {
            channel.shutdownOutput();
            long deadline = System.nanoTime() + 1_000_000_000L;
            long discarded = 0;
            while (discarded < (1 << 20) && System.nanoTime() < deadline) {
                in.clear();
                int n = channel.read(in);
                if (n < 0) {
                    return;
                }
                if (n == 0) {
                    await(SelectionKey.OP_READ, 100);
                }
                discarded += n;
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private int await(int op, long millis) throws IOException {
        SelectionKey key = channel.keyFor(selector);
        key.interestOps(op);
        try {
            return millis == 0 ? selector.select() : selector.select(millis);
        } finally {
            selector.selectedKeys().clear();
            if (key.isValid()) {
                key.interestOps(0);
            }
        }
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
