package dev.laambda.platform.aws;

import dev.laambda.LaambdaException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IAM role an app's functions run as, by ARN: arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME. Only its shape is
 * checked here; {@link RoleCheck} asks IAM whether it exists.
 */
public record RoleArn(String partition, String account, String path, String name) {

    // IAM's own limits: a path is / or /segments/ of printable ASCII, a name 1-64 of [\w+=,.@-].
    private static final Pattern ARN = Pattern.compile(
            "^arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):role(/(?:[\\x21-\\x2E\\x30-\\x7E]+/)*)([\\w+=,.@-]{1,64})$");
    private static final int MAX_PATH = 512;

    public static RoleArn parse(String arn) {
        Matcher m = ARN.matcher(arn == null ? "" : arn.strip());
        if (!m.matches() || m.group(3).length() > MAX_PATH) {
            throw LaambdaException.invalid("invalid_role", "invalid role ARN '" + shown(arn) + "': expected "
                    + "arn:aws:iam::ACCOUNT_ID:role/NAME (a 12-digit account; partition aws, aws-cn or aws-us-gov)");
        }
        return new RoleArn(m.group(1), m.group(2), m.group(3), m.group(4));
    }

    /** What the user gave, on one line and not too long to read back to them. */
    private static String shown(String arn) {
        String line = arn == null ? "" : arn.strip().replaceAll("\\p{Cntrl}", "?");
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }

    /** The ARN as AWS writes it. */
    public String arn() {
        return "arn:" + partition + ":iam::" + account + ":role" + path + name;
    }

    @Override
    public String toString() {
        return arn();
    }
}
