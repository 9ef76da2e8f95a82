package dev.laambda.release;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What invokes a function besides a caller: a schedule, a queue, a stream or a bucket. Written as
 * {@code KIND:TARGET[?batch_size=N&starting_position=P]}; {@link #canonical()} is what a formation stores, so a
 * rollback restores exactly what was there. Two sources with the same {@link #identity()} (kind and target,
 * options aside) may not both be on one function: AWS refuses a second mapping of the same queue or stream.
 */
public sealed interface EventSource {

    int MIN_BATCH_SIZE = 1;
    int MAX_BATCH_SIZE = 10_000;

    /** The kind, as written before the colon: schedule, sqs, kinesis, dynamodb, s3. */
    String kind();

    /** The source without its options: what makes two sources the same one. */
    String identity();

    /** The source as stored and shown, options in a fixed order. */
    default String canonical() {
        return identity();
    }

    /** Whether the local platform runs it (only schedules: there is no local queue, stream or bucket). */
    default boolean runsLocally() {
        return this instanceof Schedule;
    }

    /** {@code schedule:rate(…)} or {@code schedule:cron(…)}: an EventBridge rule. */
    record Schedule(ScheduleExpression expression) implements EventSource {
        public String kind() {
            return "schedule";
        }

        public String identity() {
            return "schedule:" + expression.canonical();
        }

        /**
         * The EventBridge rule of this schedule on {@code functionName}: the function's name and a hash of the
         * schedule, within EventBridge's 64 characters.
         */
        public String ruleName(String functionName) {
            return dev.laambda.platform.EventRuleName.of(functionName, identity());
        }
    }

    /** {@code sqs:ARN}: an event source mapping that polls the queue; batch size 1–10000 (AWS: 10 by default). */
    record Sqs(String arn, Integer batchSize) implements EventSource {
        public String kind() {
            return "sqs";
        }

        public String identity() {
            return "sqs:" + arn;
        }

        public String canonical() {
            return identity() + options(batchSize, null);
        }
    }

    /**
     * {@code kinesis:ARN} and {@code dynamodb:STREAM_ARN}: an event source mapping that reads the stream from
     * {@code startingPosition} (LATEST unless TRIM_HORIZON is given); batch size 1–10000 (AWS: 100 by default).
     */
    record Stream(String kind, String arn, Integer batchSize, String startingPosition) implements EventSource {
        public String identity() {
            return kind + ":" + arn;
        }

        public String canonical() {
            return identity() + options(batchSize, startingPosition);
        }
    }

    /** {@code s3:BUCKET[/PREFIX]}: the bucket's object-created notifications, for keys under the prefix if one is given. */
    record S3(String bucket, String prefix) implements EventSource {
        public String kind() {
            return "s3";
        }

        public String identity() {
            return "s3:" + bucket + (prefix == null ? "" : "/" + prefix);
        }
    }

    /** The options given beside a source (API fields, CLI flags); null where not given. */
    record Options(Integer batchSize, String startingPosition) {
        public static final Options NONE = new Options(null, null);

        boolean given() {
            return batchSize != null || startingPosition != null;
        }
    }

    Pattern FORM = Pattern.compile("([a-z0-9]+):(.+)", Pattern.DOTALL);
    Pattern SQS_ARN = Pattern.compile("arn:aws[a-z-]*:sqs:([a-z0-9-]+):\\d{12}:[A-Za-z0-9_-]{1,80}(\\.fifo)?");
    Pattern KINESIS_ARN = Pattern.compile("arn:aws[a-z-]*:kinesis:([a-z0-9-]+):\\d{12}:stream/[A-Za-z0-9_.-]{1,128}");
    Pattern DYNAMODB_STREAM_ARN = Pattern.compile(
            "arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):\\d{12}:table/[A-Za-z0-9_.-]{3,255}/stream/[A-Za-z0-9_:.-]+");
    Pattern ANY_ARN = Pattern.compile("arn:[^:]*:([^:]*):([^:]*):.*");
    Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

    /** A stored source, already checked when it was added. */
    static EventSource parse(String text) {
        return parse(text, Options.NONE, null);
    }

    /**
     * Parses and checks a source for a function in {@code region} (null: any region); {@code options} add to
     * those written in the text, each given once. Every refusal is one line that says what to write instead.
     */
    static EventSource parse(String text, Options options, String region) {
        String source = text == null ? "" : text.strip();
        Map<String, String> inline = new LinkedHashMap<>();
        int query = source.indexOf('?');
        if (query >= 0 && !source.startsWith("schedule:")) {
            inline = inlineOptions(source.substring(query + 1), text);
            source = source.substring(0, query);
        }
        Integer batchSize = wholeNumber(merge("batch_size",
                options.batchSize() == null ? null : options.batchSize().toString(), inline.get("batch_size")));
        String position = merge("starting_position", options.startingPosition(), inline.get("starting_position"));
        Matcher form = FORM.matcher(source);
        if (!form.matches()) {
            throw invalid("Event source '" + Echo.of(text) + "' does not parse: write schedule:rate(5 minutes), "
                    + "schedule:cron(0 12 * * ? *), sqs:ARN, kinesis:ARN, dynamodb:STREAM_ARN or s3:BUCKET[/PREFIX].");
        }
        String kind = form.group(1);
        String target = form.group(2).strip();
        EventSource parsed = switch (kind) {
            case "schedule" -> new Schedule(ScheduleExpression.parse(target));
            case "sqs" -> new Sqs(arn(target, "sqs", SQS_ARN, "arn:aws:sqs:REGION:ACCOUNT:QUEUE", region),
                    batchSize(batchSize));
            case "kinesis" -> new Stream(kind, arn(target, "kinesis", KINESIS_ARN,
                    "arn:aws:kinesis:REGION:ACCOUNT:stream/NAME", region), batchSize(batchSize), position(position));
            case "dynamodb" -> new Stream(kind, arn(target, "dynamodb", DYNAMODB_STREAM_ARN,
                    "arn:aws:dynamodb:REGION:ACCOUNT:table/TABLE/stream/LABEL (the table's stream ARN)", region),
                    batchSize(batchSize), position(position));
            case "s3" -> s3(target);
            default -> throw invalid("Unknown event source kind '" + Echo.of(kind) + "': use schedule, sqs, kinesis, "
                    + "dynamodb or s3.");
        };
        if (batchSize != null && !(parsed instanceof Sqs || parsed instanceof Stream)) {
            throw invalid("batch_size applies to sqs, kinesis and dynamodb sources only, not " + kind + ".");
        }
        if (position != null && !(parsed instanceof Stream)) {
            throw invalid("starting_position applies to kinesis and dynamodb sources only, not " + kind + ".");
        }
        return parsed;
    }

    private static Map<String, String> inlineOptions(String query, String text) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (eq < 0 || !(name.equals("batch_size") || name.equals("starting_position")) || options.containsKey(name)) {
                throw invalid("Event source '" + Echo.of(text) + "' has options that do not parse: after ? write "
                        + "batch_size=N and/or starting_position=LATEST|TRIM_HORIZON, joined by &.");
            }
            options.put(name, pair.substring(eq + 1));
        }
        return options;
    }

    private static String merge(String name, String given, String inline) {
        if (given != null && inline != null) {
            throw invalid(name + " is given twice, in the source and beside it: give it once.");
        }
        return given != null ? given : inline;
    }

    private static Integer wholeNumber(String batchSize) {
        if (batchSize == null) {
            return null;
        }
        try {
            return Integer.parseInt(batchSize.strip());
        } catch (NumberFormatException e) {
            throw invalid("batch_size must be a whole number from " + MIN_BATCH_SIZE + " to " + MAX_BATCH_SIZE
                    + " (got '" + Echo.of(batchSize) + "').");
        }
    }

    private static Integer batchSize(Integer size) {
        if (size != null && (size < MIN_BATCH_SIZE || size > MAX_BATCH_SIZE)) {
            throw invalid("batch_size must be from " + MIN_BATCH_SIZE + " to " + MAX_BATCH_SIZE + " (got " + size + ").");
        }
        return size;
    }

    private static String position(String position) {
        if (position == null) {
            return null;
        }
        String upper = position.strip().toUpperCase(java.util.Locale.ROOT);
        if (!upper.equals("LATEST") && !upper.equals("TRIM_HORIZON")) {
            throw invalid("starting_position must be LATEST or TRIM_HORIZON (got '" + Echo.of(position) + "').");
        }
        return upper;
    }

    private static String arn(String arn, String service, Pattern shape, String example, String region) {
        Matcher any = ANY_ARN.matcher(arn);
        if (any.matches() && !any.group(1).equals(service)) {
            throw invalid("'" + Echo.of(arn) + "' is an ARN of " + (any.group(1).isEmpty() ? "no service" : any.group(1))
                    + ", not " + service + ": a " + service + " source needs " + example + ".");
        }
        Matcher matched = shape.matcher(arn);
        if (!matched.matches()) {
            throw invalid("'" + Echo.of(arn) + "' is not a " + service + " ARN: write " + example + ".");
        }
        if (region != null && !matched.group(1).equals(region)) {
            throw invalid("'" + Echo.of(arn) + "' is in region " + matched.group(1) + ", but the app runs in " + region
                    + ": a function can only read sources in its own region.");
        }
        return arn;
    }

    /** S3's bucket naming rules (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). */
    private static S3 s3(String target) {
        int slash = target.indexOf('/');
        String bucket = slash < 0 ? target : target.substring(0, slash);
        String prefix = slash < 0 ? null : target.substring(slash + 1);
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..") || IP_ADDRESS.matcher(bucket).matches()
                || bucket.startsWith("xn--") || bucket.startsWith("sthree-") || bucket.endsWith("-s3alias")
                || bucket.endsWith("--ol-s3")) {
            throw invalid("'" + Echo.of(bucket) + "' is not an S3 bucket name: 3 to 63 lowercase letters, digits, dots "
                    + "and hyphens, starting and ending with a letter or digit, not like an IP address.");
        }
        if (prefix != null && (prefix.isEmpty() || prefix.length() > 1024 || prefix.chars().anyMatch(Character::isISOControl))) {
            throw invalid("The key prefix after '" + Echo.of(bucket) + "/' must be 1 to 1024 printable characters, "
                    + "or leave out the slash for the whole bucket.");
        }
        return new S3(bucket, prefix);
    }

    private static String options(Integer batchSize, String startingPosition) {
        StringBuilder options = new StringBuilder();
        if (batchSize != null) {
            options.append("batch_size=").append(batchSize);
        }
        if (startingPosition != null) {
            options.append(options.isEmpty() ? "" : "&").append("starting_position=").append(startingPosition);
        }
        return options.isEmpty() ? "" : "?" + options;
    }

    static LaambdaException invalid(String message) {
        return LaambdaException.invalid("invalid_event_source", message);
    }

    /** The source among {@code sources} (canonical forms) that is the same one as {@code wanted}, if any. */
    static Optional<String> sameAs(Iterable<String> sources, EventSource wanted) {
        for (String source : sources) {
            if (parse(source).identity().equals(wanted.identity())) {
                return Optional.of(source);
            }
        }
        return Optional.empty();
    }
}
