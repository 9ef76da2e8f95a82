package dev.laambda.api;

import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvalidRequestContentException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real AWS SDK for Java, pointed at Laambda, invokes a pushed app's functions with Lambda's Invoke operation. */
class AwsInvokeTest {

    private static TestServer server;
    private static LambdaClient lambda;

    @BeforeAll
    static void pushTheApp() {
        server = TestServer.start();
        // A dash in the app name: the function name aws-demo-hello must still split into app and entry.
        TestApp app = TestApp.create(server, "aws-demo", Map.of(
                "hello.py", """
                        def handler(event, context):
                            print("hello from", context.function_name)
                            return {"hello": event.get("name", "world"), "arn": context.invoked_function_arn}
                        """,
                "fail.py", "def handler(event, context):\n    raise KeyError('missing')\n",
                "client.py", """
                        def handler(event, context):
                            client = context.client_context
                            return {"custom": client.custom if client else None, "env": client.env if client else None}
                        """,
                "Procfile", "hello: hello.handler\nfail: fail.handler\nclient: client.handler\n"));
        app.pushAccepted();
        lambda = client(server.adminToken());
    }

    @AfterAll
    static void stop() {
        lambda.close();
        server.close();
    }

    private static LambdaClient client(String accessKeyId) {
        return LambdaClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.laambda().httpPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "unused")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Test
    void theSdkInvokesAFunctionByName() {
        InvokeResponse response = lambda.invoke(r -> r.functionName("aws-demo-hello")
                .payload(SdkBytes.fromUtf8String("{\"name\":\"sdk\"}")));
        assertEquals(200, response.statusCode());
        assertNull(response.functionError());
        assertTrue(response.payload().asUtf8String().contains("\"hello\": \"sdk\""), response.payload().asUtf8String());
        assertEquals("2", response.executedVersion());
    }

    @Test
    void theSdkInvokesByArnAndGetsTheLogTail() {
        InvokeResponse response = lambda.invoke(r -> r
                .functionName("arn:aws:lambda:us-east-1:000000000000:function:aws-demo-hello")
                .logType(LogType.TAIL).payload(SdkBytes.fromUtf8String("{}")));
        String log = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        assertTrue(log.startsWith("START RequestId: "), log);
        assertTrue(log.contains("hello from aws-demo-hello"), log);
        assertTrue(log.contains("REPORT RequestId: "), log);
    }

    @Test
    void aHandlerErrorIsAFunctionErrorNotAnApiError() {
        InvokeResponse response = lambda.invoke(r -> r.functionName("aws-demo-fail").payload(SdkBytes.fromUtf8String("{}")));
        assertEquals(200, response.statusCode());
        assertEquals("Unhandled", response.functionError());
        assertTrue(response.payload().asUtf8String().contains("\"errorType\": \"KeyError\""), response.payload().asUtf8String());
    }

    @Test
    void anEventInvocationIsAccepted() {
        InvokeResponse response = lambda.invoke(r -> r.functionName("aws-demo-hello")
                .invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String("{}")));
        assertEquals(202, response.statusCode());
    }

    @Test
    void unknownFunctionsAndQualifiersAreResourceNotFound() {
        assertThrows(ResourceNotFoundException.class, () -> lambda.invoke(r -> r.functionName("aws-demo-nope")));
        assertThrows(ResourceNotFoundException.class, () -> lambda.invoke(r -> r.functionName("nobody-hello")));
        assertThrows(ResourceNotFoundException.class, () -> lambda.invoke(r -> r.functionName("aws-demo-hello")
                .qualifier("7")));
    }

    @Test
    void aPayloadThatIsNotJsonIsInvalidRequestContent() {
        assertThrows(InvalidRequestContentException.class, () -> lambda.invoke(r -> r.functionName("aws-demo-hello")
                .payload(SdkBytes.fromUtf8String("{not json"))));
    }

    @Test
    void destroyingAnAppWhoseNameIsAPrefixLeavesTheOtherAppsFunctionsRunning() {
        lambda.invoke(r -> r.functionName("aws-demo-hello").payload(SdkBytes.fromUtf8String("{\"name\":\"before\"}")));
        TestApp other = TestApp.create(server, "aws", Map.of("web.py", "def handler(e, c):\n    return 1\n",
                "Procfile", "web: web.handler\n"));
        assertTrue(other.push().ok());
        assertEquals("1", lambda.invoke(r -> r.functionName("aws-web")).payload().asUtf8String());
        TestApi admin = server.admin();
        assertEquals(200, admin.delete("/api/v1/apps/aws?confirm=aws").status());

        com.fasterxml.jackson.databind.JsonNode functions = admin.get("/api/v1/apps/aws-demo/formation").json();
        int warm = 0;
        for (com.fasterxml.jackson.databind.JsonNode function : functions) {
            if (function.get("entry").asText().equals("hello")) {
                warm = function.get("warm_instances").asInt();
            }
        }
        assertTrue(warm >= 1, "aws-demo's instances still warm: " + functions);
        assertTrue(admin.get("/api/v1/apps/aws-demo/functions/hello/logs").body().contains("hello from aws-demo-hello"),
                "and its log kept");
        assertThrows(ResourceNotFoundException.class, () -> lambda.invoke(r -> r.functionName("aws-web")));
    }

    @Test
    void theCallersClientContextReachesTheFunctionsContext() {
        String clientContext = java.util.Base64.getEncoder().encodeToString(
                "{\"custom\": {\"team\": \"thumbs\"}, \"env\": {\"platform\": \"ios\"}}".getBytes());
        InvokeResponse response = lambda.invoke(r -> r.functionName("aws-demo-client").clientContext(clientContext));
        assertEquals("{\"custom\": {\"team\": \"thumbs\"}, \"env\": {\"platform\": \"ios\"}}",
                response.payload().asUtf8String());
        assertEquals("{\"custom\": null, \"env\": null}",
                lambda.invoke(r -> r.functionName("aws-demo-client")).payload().asUtf8String(), "none given, none seen");
        assertThrows(InvalidRequestContentException.class, () -> lambda.invoke(r -> r.functionName("aws-demo-client")
                .clientContext("not base64 json!")));
        assertThrows(InvalidRequestContentException.class, () -> lambda.invoke(r -> r.functionName("aws-demo-client")
                .clientContext("x".repeat(3584))));
    }

    @Test
    void anUnknownAccessKeyIsRefusedAsAwsRefusesIt() {
        try (LambdaClient stranger = client("lmb_not-a-real-token")) {
            LambdaException refused = assertThrows(LambdaException.class, () -> stranger.invoke(r -> r
                    .functionName("aws-demo-hello").payload(SdkBytes.fromUtf8String("{}"))));
            assertEquals(403, refused.statusCode());
            assertEquals("UnrecognizedClientException", refused.awsErrorDetails().errorCode());
        }
    }
}
