package dev.runlog.storage.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test support: a TCP relay on a loopback port of its own to a database server, which a test can
 * {@link #cut()} and {@link #restore()}. To a client that connects through it, a cut is what a
 * server stopping is (every connection ends; new ones are refused) and a restore is the server back
 * on the same port. The server behind it keeps running for every other test of the JVM.
 */
final class CuttableLink implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    /** Armed by {@link #cutAfterNextCommit()}: the next metric commit reaches the server, its answer does not. */
    private final java.util.concurrent.atomic.AtomicBoolean cutAtCommit = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicInteger commitsCut = new java.util.concurrent.atomic.AtomicInteger();
    private final Set<Socket> answerDropped = ConcurrentHashMap.newKeySet();
    /** Armed by {@link #cutBeforeNextCommit()}: the next metric commit never reaches the server. */
    private final java.util.concurrent.atomic.AtomicBoolean cutBeforeCommit = new java.util.concurrent.atomic.AtomicBoolean();

    /** Relays to {@code hostAndPort} ({@code host:port}) from a free loopback port. */
    CuttableLink(String hostAndPort) throws IOException {
        int colon = hostAndPort.lastIndexOf(':');
        this.targetHost = hostAndPort.substring(0, colon);
        this.targetPort = Integer.parseInt(hostAndPort.substring(colon + 1));
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        this.port = listener.getLocalPort();
        accept(listener);
    }

    /** Where clients connect: {@code 127.0.0.1:port}. */
    String hostAndPort() {
        return InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
    }

    /** As the server stopping: ends every relayed connection and refuses new ones. */
    synchronized void cut() throws IOException {
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
        open.clear();
    }

    /**
     * As the server back: accepts again on the same port. The connections {@link #cut()} ended may
     * hold the port for a moment while the system lets them go: binding is tried again for up to a second.
     */
    synchronized void restore() throws IOException, InterruptedException {
        if (!listener.isClosed()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            ServerSocket again = new ServerSocket();
            again.setReuseAddress(true);
            try {
                again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
                listener = again;
                accept(again);
                return;
            } catch (BindException e) {
                again.close();
                if (attempt == 50) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    private void accept(ServerSocket server) {
        daemon("link-accept", () -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    synchronized (this) {
                        // Accepted as cut() closed the listener: refused like the rest, never left open on the port.
                        if (server.isClosed()) {
                            client.close();
                            continue;
                        }
                        open.add(client);
                    }
                    Socket upstream = new Socket(targetHost, targetPort);
                    open.add(upstream);
                    daemon("link-up", () -> pumpUp(client, upstream));
                    daemon("link-down", () -> pumpDown(upstream, client));
                } catch (IOException e) {
                    // closed by cut(), or one connection failed: the loop decides by the listener's state
                }
            }
        });
    }

    /**
     * As a connection lost while a transaction commits: the commit of the next transaction that
     * writes a write token (a metric append) is passed to the server, which commits, and the
     * connection is cut before its answer gets back, so the client cannot tell whether it committed.
     * {@link #commitsCut()} counts the cuts made.
     */
    void cutAfterNextCommit() {
        cutAtCommit.set(true);
    }

    /**
     * As a connection lost just as a transaction asks to commit: the commit of the next transaction
     * that writes a write token is not passed on, and the connection is cut, so the server rolls it
     * back while the client cannot tell. {@link #commitsCut()} counts it too.
     */
    void cutBeforeNextCommit() {
        cutBeforeCommit.set(true);
        cutAtCommit.set(true);
    }

    int commitsCut() {
        return commitsCut.get();
    }

    /**
     * Client to server: when armed, finds the statement that writes a transaction's write token
     * (the last before its commit; the driver sends COMMIT itself as a prepared statement, without
     * its text, once a connection has committed a few times), and marks the answer to the message
     * after it, the commit, to be dropped.
     */
    private void pumpUp(Socket client, Socket server) {
        try (InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
            byte[] buffer = new byte[64 * 1024];
            boolean commitNext = false;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (commitNext) {
                    commitNext = false;
                    if (cutBeforeCommit.compareAndSet(true, false)) {
                        commitsCut.incrementAndGet();
                        return; // the commit is not sent; finally cuts both sides
                    }
                    answerDropped.add(server);
                } else if (cutAtCommit.get() && new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains("runlog_write_tokens") && cutAtCommit.compareAndSet(true, false)) {
                    commitNext = true;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the link was cut or a side closed
        } finally {
            close(client);
            close(server);
        }
    }

    /** Server to client: ends both sides instead of passing on the answer to a COMMIT that is to be cut. */
    private void pumpDown(Socket server, Socket client) {
        try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (answerDropped.remove(server)) {
                    commitsCut.incrementAndGet();
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the link was cut or a side closed
        } finally {
            close(server);
            close(client);
        }
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
