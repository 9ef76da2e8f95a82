package dev.laambda.drains;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Opens a drain's connection: the host resolved and checked again (DrainEgress: a name that now points inside is
 * refused), a socket to the checked address, TLS for syslog+tls and https.
 */
final class DrainConnector {

    private final DrainEgress egress;
    private final DrainTls tls;
    private final ObjectMapper json;
    private final Duration timeout;

    DrainConnector(DrainEgress egress, DrainTls tls, ObjectMapper json, Duration timeout) {
        this.egress = egress;
        this.tls = tls;
        this.json = json;
        this.timeout = timeout;
    }

    DrainSender open(DrainUrl url, String appName) throws IOException {
        return switch (url.kind()) {
            case SYSLOG, SYSLOG_TLS -> new SyslogSender(connect(url), appName);
            case HTTPS -> new NdjsonSender(url, () -> connect(url), json);
        };
    }

    private Socket connect(DrainUrl url) throws IOException {
        InetSocketAddress address;
        try {
            address = egress.addresses(url).get(0);
        } catch (dev.laambda.LaambdaException refused) {
            throw new IOException(refused.getMessage());
        }
        Socket socket = new Socket();
        try {
            socket.connect(address, (int) timeout.toMillis());
            // Reads are answers to a post (https) or the TLS handshake; a drain that never answers is given up on.
            socket.setSoTimeout((int) timeout.toMillis());
            return url.kind() == DrainUrl.Kind.SYSLOG ? socket : tls.wrap(socket, url.host(), url.port());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
