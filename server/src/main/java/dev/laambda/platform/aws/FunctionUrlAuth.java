package dev.laambda.platform.aws;

import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;

/**
 * Who may call the Function URL of an aws app's web entry (LAAMBDA_AWS_FUNCTION_URL_AUTH): {@code aws_iam}, only
 * requests signed by an IAM principal allowed to (Lambda's default), or {@code none}, anyone on the internet.
 */
public enum FunctionUrlAuth {
    AWS_IAM, NONE;

    FunctionUrlAuthType lambdaType() {
        return this == NONE ? FunctionUrlAuthType.NONE : FunctionUrlAuthType.AWS_IAM;
    }
}
