package dev.laambda.platform.aws;

import dev.laambda.LaambdaException;
import dev.laambda.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The role check asks moto's IAM, as it would ask AWS's. */
class RoleCheckTest {


    private static MotoServer moto;
    private static AwsClients aws;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
        aws = moto.aws();
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void freshAccount() {
        moto.reset();
    }

    @Test
    void aRoleThatExistsInIamPasses() {
        String arn = aws.iam("us-east-1").createRole(role -> role.roleName("lambda").path("/service-role/")
                .assumeRolePolicyDocument(MotoServer.LAMBDA_TRUST)).role().arn();
        assertEquals("arn:aws:iam::" + MotoServer.ACCOUNT + ":role/service-role/lambda", arn);
        assertDoesNotThrow(() -> new RoleCheck(aws).requireExisting(RoleArn.parse(arn)));
    }

    @Test
    void aRoleIamDoesNotKnowIsRefusedInOneLine() {
        RoleArn missing = RoleArn.parse("arn:aws:iam::" + MotoServer.ACCOUNT + ":role/nobody");
        LaambdaException e = assertThrows(LaambdaException.class, () -> new RoleCheck(aws).requireExisting(missing));
        assertEquals("role_not_found", e.code());
        assertEquals(LaambdaException.Kind.INVALID, e.kind());
        assertEquals("role arn:aws:iam::123456789012:role/nobody does not exist: create it in IAM or name another with --role",
                e.getMessage());
    }

    @Test
    void aRoleNamedUnderTheWrongPathIsRefusedNamingTheOneThatExists() {
        aws.iam("us-east-1").createRole(role -> role.roleName("lambda").path("/service-role/").assumeRolePolicyDocument(MotoServer.LAMBDA_TRUST));
        LaambdaException e = assertThrows(LaambdaException.class, () -> new RoleCheck(aws)
                .requireExisting(RoleArn.parse("arn:aws:iam::" + MotoServer.ACCOUNT + ":role/lambda")));
        assertEquals("role_not_found", e.code());
        assertTrue(e.getMessage().contains("(the role named lambda is arn:aws:iam::123456789012:role/service-role/lambda)"),
                e.getMessage());
    }

    @Test
    void credentialsThatMayNotReadRolesCannotCheckSoTheRoleIsAssumedToExist() {
        try (FakeAwsEndpoint denying = FakeAwsEndpoint.iamAccessDenied();
             AwsClients denied = new AwsClients(Optional.of(denying.endpoint()), moto.credentials(), 3)) {
            RoleCheck check = new RoleCheck(denied);
            assertDoesNotThrow(() -> check.requireExisting(RoleArn.parse("arn:aws:iam::123456789012:role/lambda")));
            assertDoesNotThrow(() -> check.requireExisting(RoleArn.parse("arn:aws:iam::123456789012:role/other")));
            assertEquals(2, denying.requests(), "AccessDenied is an answer, not retried");
        }
    }
}
