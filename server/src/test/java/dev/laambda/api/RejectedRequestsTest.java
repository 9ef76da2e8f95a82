package dev.laambda.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests Jetty refuses before any route sees them still get Laambda's JSON error, {"error","code"} (the AWS
 * Invoke API's own error shape on its paths). Sent with a raw socket, since HTTP clients refuse to send them.
 */
class RejectedRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static int port;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        port = Integer.parseInt(server.url().replaceAll(".*:", ""));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBodyOverTheLimitIsA413WithAJsonError() throws Exception {
        Answer answer = send("POST /api/v1/apps HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + server.adminToken() + "\r\nContent-Type: application/json\r\nContent-Length: 20000000\r\n\r\n", 20_000_000);

        assertEquals(413, answer.status(), answer.text());
        assertTrue(answer.contentType().startsWith("application/json"), answer.text());
        JsonNode error = JSON.readTree(answer.body());
        assertEquals("request_too_large", error.path("code").asText(), answer.body());
        assertTrue(error.path("error").asText().contains("12582912 bytes"), answer.body());
        assertEquals(0, server.admin().get("/api/v1/apps").json().size(), "nothing was created");
    }

    @Test
    void aChunkedBodyThatGrowsPastTheLimitIsRefusedWithTheSameJsonError() throws Exception {
        Answer answer = send("POST /api/v1/apps HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + server.adminToken() + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                14_000_000, true);

        assertEquals(413, answer.status(), answer.text());
        assertTrue(answer.contentType().startsWith("application/json"), answer.text());
        assertEquals("request_too_large", JSON.readTree(answer.body()).path("code").asText(), answer.body());
    }

    @Test
    void anInvokeOverTheLimitIsLambdasRequestTooLargeException() throws Exception {
        Answer answer = send("POST /2015-03-31/functions/nothing-here/invocations HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + server.adminToken() + "\r\nContent-Length: 20000000\r\n\r\n", 20_000_000);

        assertEquals(413, answer.status(), answer.text());
        assertEquals("RequestTooLargeException", answer.header("x-amzn-errortype"), answer.text());
        JsonNode error = JSON.readTree(answer.body());
        assertEquals("User", error.path("Type").asText(), answer.body());
        assertEquals("Request must be smaller than 6291456 bytes for the InvokeFunction operation.",
                error.path("message").asText(), answer.body());
    }

    @Test
    void aNulInThePathIsA400WithAJsonError() throws Exception {
        Answer answer = send("GET /api/v1/apps/demo%00x HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + server.adminToken() + "\r\n\r\n", 0);

        assertEquals(400, answer.status(), answer.text());
        assertTrue(answer.contentType().startsWith("application/json"), answer.text());
        JsonNode error = JSON.readTree(answer.body());
        assertEquals("invalid_request", error.path("code").asText(), answer.body());
        assertEquals("The request is malformed: a URL path may not hold %00 or other control characters, and headers "
                + "must be well-formed.", error.path("error").asText(), answer.body());
    }

    @Test
    void headersTooLargeAndAGarbledRequestLineAreJsonErrorsToo() throws Exception {
        Answer headers = send("GET /api/v1/apps HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "x".repeat(64 * 1024)
                + "\r\n\r\n", 0);
        assertEquals(431, headers.status(), headers.text());
        assertEquals("headers_too_large", JSON.readTree(headers.body()).path("code").asText(), headers.text());

        Answer garbled = send("GARBLED\r\n\r\n", 0);
        assertEquals(400, garbled.status(), garbled.text());
        assertEquals("invalid_request", JSON.readTree(garbled.body()).path("code").asText(), garbled.text());
    }

    /** An HTTP answer as read off the socket. */
    private record Answer(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return "";
        }

        String contentType() {
            return header("Content-Type").toLowerCase(Locale.ROOT);
        }

        String text() {
            return head + "\r\n\r\n" + body;
        }
    }

    /**
     * Writes {@code head}, then {@code bodyBytes} zero bytes from another thread (the server may answer and stop
     * reading early), and reads one answer.
     */
    private static Answer send(String head, int bodyBytes) throws Exception {
        return send(head, bodyBytes, false);
    }

    private static Answer send(String head, int bodyBytes, boolean chunked) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread writer = new Thread(() -> {
                try {
                    byte[] chunk = new byte[64 * 1024];
                    for (int sent = 0; sent < bodyBytes; sent += chunk.length) {
                        int length = Math.min(chunk.length, bodyBytes - sent);
                        if (chunked) {
                            out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        }
                        out.write(chunk, 0, length);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        }
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.flush();
                } catch (IOException answeredEarly) {
                    // the server answered and closed without reading the rest: the answer is still there to read
                }
            });
            writer.start();
            Answer answer = read(socket.getInputStream());
            writer.join(30_000);
            return answer;
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        while (!headBytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside the answer's head: " + headBytes);
            }
            headBytes.write(b);
        }
        String head = headBytes.toString(StandardCharsets.ISO_8859_1).strip();
        int status = Integer.parseInt(head.split(" ")[1]);
        Answer headOnly = new Answer(status, head, "");
        String length = headOnly.header("Content-Length");
        byte[] body;
        if (!length.isEmpty()) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if (headOnly.header("Transfer-Encoding").equalsIgnoreCase("chunked")) {
            body = chunked(in);
        } else {
            body = in.readAllBytes();
        }
        return new Answer(status, head, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            StringBuilder size = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed inside a chunk size");
                }
                size.append((char) b);
            }
            int bytes = Integer.parseInt(size.toString().strip().split(";")[0], 16);
            if (bytes == 0) {
                return body.toByteArray();
            }
            body.write(in.readNBytes(bytes));
            in.readNBytes(2);
        }
    }
}
