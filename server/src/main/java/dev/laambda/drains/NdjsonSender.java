package dev.laambda.drains;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.logs.LineView;
import dev.laambda.store.LogLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * An https drain: each batch is one POST of newline-delimited JSON, one object per line with the fields of GET
 * …/logs ({@link LineView}); a 2xx answer means delivered. HTTP/1.1 is written by hand over a socket this
 * server connected to an address it checked (DrainEgress), so no client library resolves the name again.
 */
final class NdjsonSender implements DrainSender {

    interface Connect {
        Socket open() throws IOException;
    }

    private final DrainUrl url;
    private final Connect connect;
    private final ObjectMapper json;
    private volatile Socket current;
    private volatile boolean closed;

    NdjsonSender(DrainUrl url, Connect connect, ObjectMapper json) {
        this.url = url;
        this.connect = connect;
        this.json = json;
    }

    @Override
    public void send(List<LogLine> lines) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (LogLine line : lines) {
            body.write(json.writeValueAsBytes(LineView.of(line)));
            body.write('\n');
        }
        StringBuilder head = new StringBuilder("POST " + url.pathAndQuery() + " HTTP/1.1\r\n")
                .append("Host: ").append(url.host().contains(":") ? "[" + url.host() + "]" : url.host())
                .append(url.port() == 443 ? "" : ":" + url.port()).append("\r\n")
                .append("Content-Type: application/x-ndjson\r\n")
                .append("Content-Length: ").append(body.size()).append("\r\n")
                .append("User-Agent: laambda-drain\r\n")
                .append("Connection: close\r\n");
        url.userInfo().ifPresent(user -> head.append("Authorization: Basic ").append(Base64.getEncoder()
                .encodeToString(java.net.URLDecoder.decode(user, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)))
                .append("\r\n"));
        head.append("\r\n");
        try (Socket socket = connect.open()) {
            current = socket;
            if (closed) {
                throw new IOException("closed");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            body.writeTo(out);
            out.flush();
            String status = statusLine(socket.getInputStream());
            if (status == null || !status.matches("^HTTP/1\\.[01] 2\\d\\d( .*)?$")) {
                throw new IOException("the drain answered " + (status == null ? "nothing" : "'" + status.strip() + "'"));
            }
        } finally {
            current = null;
        }
    }

    /** The answer's first line, at most 1 KB of it (a drain is not trusted to send a sensible one). */
    private static String statusLine(java.io.InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n' && line.size() < 1024; b = in.read()) {
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1).strip();
    }

    @Override
    public void close() {
        closed = true;
        Socket socket = current;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Breaking off a hung post.
            }
        }
    }
}
