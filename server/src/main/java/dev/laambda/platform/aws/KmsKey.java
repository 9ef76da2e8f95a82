package dev.laambda.platform.aws;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The KMS key that seals release config (LAAMBDA_KMS_KEY_ID) and the region whose KMS holds it. The id is what the
 * operator gave: a key id, a key ARN, alias/NAME or an alias ARN, all of which KMS accepts as they are.
 */
public record KmsKey(String id, String region) {

    private static final String KEY = "(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
            + "|mrk-[0-9a-fA-F]{32})";
    private static final String ALIAS = "alias/[a-zA-Z0-9/_-]{1,250}";
    private static final Pattern SHAPE = Pattern.compile("^(?:" + KEY + "|" + ALIAS + "|arn:(?:aws|aws-cn|aws-us-gov):kms:"
            + "([a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\\d{1,2}):\\d{12}:(?:key/" + KEY + "|" + ALIAS + "))$");

    /** Whether KMS could take {@code id} as a key id, key ARN, alias/NAME or alias ARN. */
    public static boolean wellFormed(String id) {
        return SHAPE.matcher(id).matches();
    }

    /** The region an ARN names; ids and alias names name none. */
    public static Optional<String> regionIn(String id) {
        Matcher m = SHAPE.matcher(id);
        return m.matches() ? Optional.ofNullable(m.group(1)) : Optional.empty();
    }
}
