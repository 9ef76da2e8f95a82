package dev.laambda.platform.aws;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An AWS endpoint on loopback with canned answers, written as AWS writes them, that counts the requests: what
 * moto cannot be made to do (throttle, deny, fail an update) for those paths of the real SDK.
 */
final class FakeAwsEndpoint implements AutoCloseable {

    /** One HTTP answer; {@code errorType} is the x-amzn-ErrorType header of REST-JSON errors (null: none). */
    record Answer(int status, String contentType, String errorType, String body) {
    }

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private FakeAwsEndpoint(Function<String, Answer> answerForMethod) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            Answer answer = answerForMethod.apply(exchange.getRequestMethod());
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            exchange.getResponseHeaders().add("x-amzn-RequestId", "laambda-test");
            if (answer.errorType() != null) {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", answer.errorType());
            }
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    /** Lambda's throttling answer to everything: 429 TooManyRequestsException. */
    static FakeAwsEndpoint throttlingLambda() {
        Answer throttled = new Answer(429, "application/json", "TooManyRequestsException",
                "{\"Type\":\"User\",\"message\":\"Rate exceeded\",\"Reason\":\"CallerRateLimitExceeded\"}");
        return new FakeAwsEndpoint(method -> throttled);
    }

    /** IAM's answer to credentials without iam:GetRole (a query-protocol XML error). */
    static FakeAwsEndpoint iamAccessDenied() {
        Answer denied = new Answer(403, "text/xml", null, """
                <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
                  <Error><Type>Sender</Type><Code>AccessDenied</Code>
                    <Message>User: arn:aws:iam::123456789012:user/deployer is not authorized to perform: iam:GetRole</Message>
                  </Error>
                  <RequestId>laambda-test</RequestId>
                </ErrorResponse>""");
        return new FakeAwsEndpoint(method -> denied);
    }

    /**
     * A Lambda whose one function {@code name} takes every update (InProgress) and then reports it Failed, as
     * Lambda does when, say, the function's subnets have no free addresses.
     */
    static FakeAwsEndpoint lambdaWhoseUpdatesFail(String name) {
        String configuration = "{\"FunctionName\":\"" + name + "\",\"FunctionArn\":\"arn:aws:lambda:eu-west-1:123456789012:"
                + "function:" + name + "\",\"State\":\"Active\",\"LastUpdateStatus\":\"%s\"%s}";
        Answer updating = new Answer(200, "application/json", null, configuration.formatted("InProgress", ""));
        Answer failed = new Answer(200, "application/json", null, "{\"Configuration\":" + configuration.formatted("Failed",
                ",\"LastUpdateStatusReason\":\"Lambda was unable to create an ENI: no free IP addresses in subnet-0abc\","
                        + "\"LastUpdateStatusReasonCode\":\"SubnetOutOfIPAddresses\"") + "}");
        return new FakeAwsEndpoint(method -> method.equals("GET") ? failed : updating);
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
