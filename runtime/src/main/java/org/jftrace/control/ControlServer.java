package org.jftrace.control;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.Principal;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.jftrace.ftrace.JdkSites;

/**
 * The JVM's control socket: tracefs's files over a Unix domain socket, for {@code jftrace PID cat
 * FILE} and friends. The socket is {@code java.io.tmpdir/jftrace-USER/PID.sock}, in a directory only
 * its owner can enter (0700, checked to be ours and not a link), and is itself 0600; a client whose
 * peer credentials name another user (root aside) is refused. There is no TCP listener.
 *
 * <p>The protocol is line-oriented, so {@code nc -U} can speak it. A request is one line of at
 * most {@link Connection#MAX_LINE} bytes; see {@link ControlRequests} for the verbs. A response is
 * {@code ok LENGTH\n} and LENGTH bytes, or {@code err MESSAGE\n}; a stream ({@code cat trace_pipe})
 * is a sequence of {@code data LENGTH\n} chunks and ends when the client closes or sends anything.
 *
 * <p>Nothing a client does can stop the JVM: the server threads are daemons, each connection has
 * its own thread, at most {@link #MAX_CLIENTS} at a time, every read and write has a deadline, and
 * every request runs inside a catch-all that turns any throwable into an {@code err} response.
 */
public final class ControlServer {

    /** Connections served at once; more are told so and closed. */
    static final int MAX_CLIENTS = 32;
    /** How long a client may take to send its request line. */
    static final long REQUEST_MILLIS = 10_000;
    /** How long a client may leave a response unread before it is dropped. */
    static final long STALL_MILLIS = 10_000;

    private static ControlServer running;
    private static volatile AttachHandler attachHandler;

    private final Path socket;
    private final ServerSocketChannel server;
    private final Semaphore slots = new Semaphore(MAX_CLIENTS);
    private final AtomicInteger connections = new AtomicInteger();
    private final UserPrincipal owner;

    private ControlServer(Path socket, ServerSocketChannel server, UserPrincipal owner) {
        this.socket = socket;
        this.server = server;
        this.owner = owner;
    }

    /** {@code java.io.tmpdir/jftrace-USER/PID.sock} of this JVM. */
    public static Path defaultPath() {
        return Path.of(System.getProperty("java.io.tmpdir"), "jftrace-" + System.getProperty("user.name"),
                ProcessHandle.current().pid() + ".sock");
    }

    /** @return the running server's socket, or null if none runs. */
    public static synchronized Path socket() {
        return running == null ? null : running.socket;
    }

    public static void setAttachHandler(AttachHandler h) {
        attachHandler = h;
    }

    static AttachHandler attachHandler() {
        return attachHandler;
    }

    /**
     * Starts the server on {@link #defaultPath()} unless one runs. Also sets the system property
     * {@code jftrace.control} to the socket's path, for clients whose java.io.tmpdir differs.
     *
     * @return the socket's path
     * @throws IOException with a one-line message if the directory is not safe or binding fails
     */
    public static synchronized Path start() throws IOException {
        if (running != null) {
            return running.socket;
        }
        Path path = defaultPath();
        Path dir = path.getParent();
        UserPrincipal owner = secureDirectory(dir);
        Files.deleteIfExists(path); // a JVM with our pid that died without cleaning up
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path), 16);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw new IOException("cannot create the control socket " + path + ": " + e.getMessage(), e);
        }
        ControlServer s = new ControlServer(path, ch, owner);
        running = s;
        System.setProperty("jftrace.control", path.toString());
        // Anonymous classes, not lambdas, at startup: the first lambda makes the JVM spin dozens of classes.
        Thread accept = new Thread(new Runnable() {
            @Override
            public void run() {
                JdkSites.markTracerThread(); // the tracer's own: the JDK methods it calls are not traced
                s.acceptLoop();
            }
        }, "jftrace-control");
        accept.setDaemon(true);
        accept.start();
        Thread cleanup = new Thread(new Runnable() {
            @Override
            public void run() {
                JdkSites.markTracerThread(); // the tracer's own: the JDK methods it calls are not traced
                s.close();
            }
        }, "jftrace-control-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        return path;
    }

    /**
     * Creates {@code dir} owner-only, or checks that an existing one is a real directory that we
     * own (only the owner may chmod it) and makes it owner-only.
     */
    private static UserPrincipal secureDirectory(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // created meanwhile: checked below
            }
        }
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory; the control socket is off");
        }
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new IOException(dir + " belongs to another user; the control socket is off", e);
        }
        return Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
    }

    private void acceptLoop() {
        for (;;) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (Throwable t) {
                pause();
                continue;
            }
            try {
                serve(c);
            } catch (Throwable t) {
                closeQuietly(c);
            }
        }
    }

    private void serve(SocketChannel c) throws IOException {
        if (!slots.tryAcquire()) {
            try (Connection conn = new Connection(c)) {
                conn.err("too many clients (at most " + MAX_CLIENTS + ")", 1000);
            }
            return;
        }
        Thread t = new Thread(() -> {
            JdkSites.markTracerThread(); // the tracer's own: the JDK methods it calls are not traced
            try (Connection conn = new Connection(c)) {
                if (!peerAllowed(c)) {
                    conn.err("permission denied: the JVM belongs to " + owner.getName(), 1000);
                    return;
                }
                new ControlRequests(conn).serve();
            } catch (Throwable ignored) {
                // the client is gone or misbehaved; the JVM goes on
            } finally {
                closeQuietly(c);
                slots.release();
            }
        }, "jftrace-control-" + connections.incrementAndGet());
        t.setDaemon(true);
        try {
            t.start();
        } catch (Throwable e) {
            slots.release();
            throw e;
        }
    }

    /** SO_PEERCRED where jdk.net offers it: the client must be the JVM's owner or root. */
    private boolean peerAllowed(SocketChannel c) {
        Principal user;
        try {
            Class<?> opts = Class.forName("jdk.net.ExtendedSocketOptions", true, ClassLoader.getPlatformClassLoader());
            Field f = opts.getField("SO_PEERCRED");
            @SuppressWarnings("unchecked")
            SocketOption<Object> peercred = (SocketOption<Object>) f.get(null);
            Object principal = c.getOption(peercred);
            user = (Principal) principal.getClass().getMethod("user").invoke(principal);
        } catch (Throwable unavailable) {
            return true; // the directory's permissions still keep other users out
        }
        return user.getName().equals(owner.getName()) || user.getName().equals("root");
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // exiting anyway
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // exiting anyway
        }
    }
}
