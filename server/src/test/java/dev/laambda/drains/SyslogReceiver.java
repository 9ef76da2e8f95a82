package dev.laambda.drains;

import javax.net.ssl.SSLContext;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A syslog collector on loopback, as Papertrail's: reads RFC 6587 octet-counted frames (plain TCP or TLS) and keeps
 * each message; or, stalled, accepts connections and never reads a byte.
 */
final class SyslogReceiver implements AutoCloseable {

    private final ServerSocket server;
    private final boolean stalled;
    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private SyslogReceiver(ServerSocket server, boolean stalled) {
        this.server = server;
        this.stalled = stalled;
        this.acceptor = new Thread(this::accept, "syslog-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static SyslogReceiver plain() throws IOException {
        return new SyslogReceiver(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), false);
    }

    static SyslogReceiver tls(SSLContext context) throws IOException {
        return new SyslogReceiver(context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress()), false);
    }

    static SyslogReceiver stalled() throws IOException {
        return new SyslogReceiver(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), true);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Every frame received, without its length prefix: {@code <190>1 TIMESTAMP HOST APP PROCID - - MSG}. */
    List<String> frames() {
        return List.copyOf(frames);
    }

    /** The MSG part of each frame. */
    List<String> messages() {
        return frames().stream().map(frame -> frame.split(" ", 8)[7]).toList();
    }

    int connectionsAccepted() {
        return connections.size();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket connection : connections) {
            connection.close();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket connection = server.accept();
                connections.add(connection);
                if (!stalled) {
                    Thread reader = new Thread(() -> read(connection), "syslog-receiver-connection");
                    reader.setDaemon(true);
                    reader.start();
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void read(Socket connection) {
        try (InputStream in = new BufferedInputStream(connection.getInputStream())) {
            while (true) {
                StringBuilder length = new StringBuilder();
                for (int b = in.read(); b != ' '; b = in.read()) {
                    if (b == -1) {
                        return;
                    }
                    if (b < '0' || b > '9') {
                        throw new IllegalStateException("not an octet count: " + length + (char) b);
                    }
                    length.append((char) b);
                }
                byte[] frame = in.readNBytes(Integer.parseInt(length.toString()));
                frames.add(new String(frame, StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            frames.add("!! receiver failed: " + e);
        }
    }
}
