package dev.laambda.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The EventBridge rule of one schedule on one function: the function's name and a hash of the schedule, within
 * EventBridge's 64 characters. Here, not in release/, because the local platform's events (their resources) and
 * the AWS platform's rules must carry the same name, and platform/ may not know release/.
 */
public final class EventRuleName {

    /** EventBridge's limit on a rule's name. */
    public static final int MAX_LENGTH = 64;
    private static final int FUNCTION_PART = MAX_LENGTH - 9;

    private EventRuleName() {
    }

    /** {@code schedule}: the source's identity, {@code schedule:rate(5 minutes)}. */
    public static String of(String functionName, String schedule) {
        return functionPart(functionName) + "-" + hash(schedule);
    }

    /** Whether {@code ruleName} is one of this function's schedule rules (and not a longer function name's). */
    public static boolean belongsTo(String ruleName, String functionName) {
        String prefix = functionPart(functionName) + "-";
        return ruleName.length() == prefix.length() + 8 && ruleName.startsWith(prefix)
                && ruleName.substring(prefix.length()).matches("[0-9a-f]{8}");
    }

    /** The first four bytes of the text's SHA-256, as eight hex digits: a short, stable name part. */
    public static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static String functionPart(String functionName) {
        return functionName.length() > FUNCTION_PART ? functionName.substring(0, FUNCTION_PART) : functionName;
    }
}
