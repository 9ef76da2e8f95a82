package dev.laambda.platform.aws;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An AWS endpoint on loopback that answers every request with one error, as AWS writes it, and counts the
 * requests: what moto cannot be made to do (throttle, deny) for the error paths of the real SDK.
 */
final class AwsErrorServer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private AwsErrorServer(int status, String contentType, String errorType, String body) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.getResponseHeaders().add("x-amzn-RequestId", "laambda-test");
            if (errorType != null) {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
            }
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    /** Lambda's throttling answer: 429 TooManyRequestsException. */
    static AwsErrorServer throttlingLambda() {
        return new AwsErrorServer(429, "application/json", "TooManyRequestsException",
                "{\"Type\":\"User\",\"message\":\"Rate exceeded\",\"Reason\":\"CallerRateLimitExceeded\"}");
    }

    /** IAM's answer to credentials without iam:GetRole (a query-protocol XML error). */
    static AwsErrorServer iamAccessDenied() {
        return new AwsErrorServer(403, "text/xml", null, """
                <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
                  <Error><Type>Sender</Type><Code>AccessDenied</Code>
                    <Message>User: arn:aws:iam::123456789012:user/deployer is not authorized to perform: iam:GetRole</Message>
                  </Error>
                  <RequestId>laambda-test</RequestId>
                </ErrorResponse>""");
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
