package dev.laambda.platform.aws;

import dev.laambda.LaambdaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Asks IAM (iam:GetRole) whether a function role exists, so a missing one is a clear error before Lambda
 * refuses it half-way through a release. Credentials without iam:GetRole cannot tell: the role is then
 * assumed to exist, and Lambda has the last word.
 */
public final class RoleCheck {

    private static final Logger log = LoggerFactory.getLogger(RoleCheck.class);

    /** IAM is global per partition; its clients are made for the partition's home region. */
    private static final Map<String, String> IAM_REGION = Map.of("aws", "us-east-1", "aws-cn", "cn-north-1",
            "aws-us-gov", "us-gov-west-1");

    private final AwsClients aws;
    private final AtomicBoolean deniedLogged = new AtomicBoolean();

    public RoleCheck(AwsClients aws) {
        this.aws = aws;
    }

    /** Returns when the role exists or cannot be checked; throws role_not_found when IAM says it does not. */
    public void requireExisting(RoleArn role) {
        Role found;
        try {
            found = aws.iam(IAM_REGION.get(role.partition())).getRole(get -> get.roleName(role.name())).role();
        } catch (NoSuchEntityException e) {
            throw notFound(role, "");
        } catch (SdkException e) {
            LaambdaException failure = AwsErrors.failure("IAM GetRole of " + role.name(), e);
            if (!failure.code().equals("aws_access_denied")) {
                throw failure;
            }
            if (deniedLogged.compareAndSet(false, true)) {
                log.warn("event=role_check_skipped reason=access_denied "
                        + "detail=\"cannot check roles (no iam:GetRole); assuming they exist\"");
            }
            return;
        }
        // GetRole looks the name up in the credentials' own account, whatever account the ARN names: only a
        // mismatch within that account (another path) says the ARN is wrong.
        RoleArn actual = RoleArn.parse(found.arn());
        if (actual.account().equals(role.account()) && !actual.equals(role)) {
            throw notFound(role, " (the role named " + role.name() + " is " + actual.arn() + ")");
        }
    }

    private static LaambdaException notFound(RoleArn role, String hint) {
        return LaambdaException.invalid("role_not_found", "role " + role.arn() + " does not exist" + hint
                + ": create it in IAM or name another with --role");
    }
}
