package dev.laambda.platform.aws;

import dev.laambda.LaambdaException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RoleArnTest {

    @Test
    void aRoleArnReadsAsPartitionAccountPathAndName() {
        assertEquals(new RoleArn("aws", "123456789012", "/", "lambda"), RoleArn.parse("arn:aws:iam::123456789012:role/lambda"));
        assertEquals(new RoleArn("aws-cn", "000011112222", "/service-role/teams/", "thumbs.exec@v2"),
                RoleArn.parse(" arn:aws-cn:iam::000011112222:role/service-role/teams/thumbs.exec@v2 "));
        assertEquals("arn:aws-us-gov:iam::123456789012:role/ops/deploy",
                RoleArn.parse("arn:aws-us-gov:iam::123456789012:role/ops/deploy").arn());
    }

    @Test
    void anythingButARoleArnIsRefusedInOneLineSayingWhatShapeIsExpected() {
        for (String bad : List.of("", "lambda", "arn:aws:iam::123456789012:user/lambda", "arn:aws:iam::12345:role/lambda",
                "arn:aws:iam:us-east-1:123456789012:role/lambda", "arn:aws-mars:iam::123456789012:role/lambda",
                "arn:aws:iam::123456789012:role/", "arn:aws:iam::123456789012:role/has space",
                "arn:aws:iam::123456789012:role/" + "n".repeat(65), "arn:aws:iam::123456789012:role//double/lambda",
                "arn:aws:iam::123456789012:role/lambda\narn:aws:iam::123456789012:role/other")) {
            LaambdaException e = assertThrows(LaambdaException.class, () -> RoleArn.parse(bad), bad);
            assertEquals("invalid_role", e.code());
            assertEquals(LaambdaException.Kind.INVALID, e.kind());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertEquals(true, e.getMessage().contains(
                    "expected arn:aws:iam::ACCOUNT_ID:role/NAME (a 12-digit account; partition aws, aws-cn or aws-us-gov)"),
                    e.getMessage());
        }
        assertThrows(LaambdaException.class, () -> RoleArn.parse(null));
    }
}
