package dev.laambda.platform.aws;

import dev.laambda.testing.MotoServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AwsClientsTest {

    @Test
    void eachServiceAndRegionHasOneClientKeptForLaterCalls() {
        try (AwsClients aws = AwsClients.withDefaultCredentials(Optional.empty())) {
            LambdaClient dublin = aws.lambda("eu-west-1");
            assertSame(dublin, aws.lambda("eu-west-1"));
            assertNotSame(dublin, aws.lambda("us-east-1"));
            assertSame(aws.iam("us-east-1"), aws.iam("us-east-1"));
            assertEquals("eu-west-1", dublin.serviceClientConfiguration().region().id());
            assertEquals(Optional.empty(), dublin.serviceClientConfiguration().endpointOverride(), "AWS itself");
            assertEquals(AwsClients.DEFAULT_MAX_ATTEMPTS,
                    dublin.serviceClientConfiguration().overrideConfiguration().retryStrategy().orElseThrow().maxAttempts());
        }
    }

    @Test
    void withAnEndpointEveryServiceTalksToThatServer() {
        try (MotoServer moto = MotoServer.start();
             AwsClients aws = new AwsClients(Optional.of(moto.endpoint()), moto.credentials(), 2)) {
            String key = aws.kms("eu-west-1").createKey().keyMetadata().keyId();
            byte[] sealed = aws.kms("eu-west-1").generateDataKey(generate -> generate.keyId(key)
                    .keySpec(DataKeySpec.AES_256)).ciphertextBlob().asByteArray();
            assertTrue(sealed.length > 32, "a sealed data key");
            aws.logs("eu-west-1").createLogGroup(create -> create.logGroupName("/aws/lambda/thumbs-create"));
            assertEquals("/aws/lambda/thumbs-create",
                    aws.logs("eu-west-1").describeLogGroups().logGroups().get(0).logGroupName());
            assertEquals(0, aws.lambda("eu-west-1").listFunctions().functions().size());
            assertEquals(0, aws.iam("us-east-1").listRoles().roles().size());
            assertTrue(moto.log().contains("POST / HTTP"), "the calls went to moto");
        }
    }
}
