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
                    daemon("link-up", () -> pump(client, upstream));
                    daemon("link-down", () -> pump(upstream, client));
                } catch (IOException e) {
                    // closed by cut(), or one connection failed: the loop decides by the listener's state
                }
            }
        });
    }

    /** Copies one direction until either side ends, then ends both: a half-open link is a cut one. */
    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // the link was cut or a side closed
        } finally {
            close(from);
            close(to);
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
