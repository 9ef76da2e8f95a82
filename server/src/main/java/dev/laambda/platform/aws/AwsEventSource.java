package dev.laambda.platform.aws;

import dev.laambda.platform.EventRuleName;

import java.util.HashMap;
import java.util.Map;

/**
 * One event source of a function as AWS applies it, read from the canonical form a formation stores
 * (release/EventSource: {@code KIND:TARGET[?batch_size=N&starting_position=P]}), which was checked when it was
 * added. A reader of that one form rather than release/'s parser: platform/ does not know release/, and
 * needs only the parts AWS is called with. {@link #identity()} is what makes two sources the same one, options
 * aside: a changed batch size updates the mapping instead of making a second one.
 */
sealed interface AwsEventSource {

    String canonical();

    String identity();

    /** {@code schedule:rate(…)} / {@code schedule:cron(…)}: an EventBridge rule targeting the live alias. */
    record Schedule(String canonical, String expression) implements AwsEventSource {
        public String identity() {
            return canonical;
        }

        String ruleName(String functionName) {
            return EventRuleName.of(functionName, canonical);
        }
    }

    /** {@code sqs:ARN}, {@code kinesis:ARN}, {@code dynamodb:STREAM_ARN}: an event source mapping on the live alias. */
    record Mapping(String canonical, String kind, String arn, Integer batchSize, String startingPosition)
            implements AwsEventSource {
        public String identity() {
            return kind + ":" + arn;
        }

        boolean isStream() {
            return !kind.equals("sqs");
        }

        /** Lambda's defaults: 10 messages from a queue, 100 records from a stream. */
        int batchSizeOrDefault() {
            return batchSize != null ? batchSize : isStream() ? 100 : 10;
        }

        /** Where a new mapping starts reading a stream: LATEST unless TRIM_HORIZON was asked for; null for a queue. */
        String startingPositionOrDefault() {
            return !isStream() ? null : startingPosition != null ? startingPosition : "LATEST";
        }
    }

    /** {@code s3:BUCKET[/PREFIX]}: the bucket's object-created notifications, sent to the live alias. */
    record Bucket(String canonical, String bucket, String prefix) implements AwsEventSource {
        public String identity() {
            return canonical;
        }

        String bucketArn() {
            return "arn:aws:s3:::" + bucket;
        }
    }

    static AwsEventSource parse(String canonical) {
        int colon = canonical.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not an event source: " + canonical);
        }
        String kind = canonical.substring(0, colon);
        String target = canonical.substring(colon + 1);
        return switch (kind) {
            case "schedule" -> new Schedule(canonical, target);
            case "sqs", "kinesis", "dynamodb" -> mapping(canonical, kind, target);
            case "s3" -> {
                int slash = target.indexOf('/');
                yield slash < 0 ? new Bucket(canonical, target, null)
                        : new Bucket(canonical, target.substring(0, slash), target.substring(slash + 1));
            }
            default -> throw new IllegalArgumentException("unknown event source kind: " + canonical);
        };
    }

    private static Mapping mapping(String canonical, String kind, String target) {
        int query = target.indexOf('?');
        Map<String, String> options = new HashMap<>();
        if (query >= 0) {
            for (String pair : target.substring(query + 1).split("&")) {
                int eq = pair.indexOf('=');
                options.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        String batchSize = options.get("batch_size");
        return new Mapping(canonical, kind, query < 0 ? target : target.substring(0, query),
                batchSize == null ? null : Integer.valueOf(batchSize), options.get("starting_position"));
    }
}
