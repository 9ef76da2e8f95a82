package dev.laambda.platform.aws;

import dev.laambda.platform.FunctionLogLine;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lambda function's log as CloudWatch Logs has it, in the group /aws/lambda/NAME. Lambda names each stream
 * {@code 2026/11/29/[3]abc…}: the bracket holds the version that wrote it.
 */
public final class LambdaLogs {

    /** One CloudWatch Logs event: its id (unique in its group), when it was logged, its stream and its text. */
    public record Event(String id, Instant at, String stream, String message) {
    }

    /** Events of one read, oldest first; {@code complete}: false when the read stopped at its bound. */
    public record Events(List<Event> events, boolean complete) {
    }

    /** How far back a tail looks: Lambda's log of the last day. */
    private static final Duration LOOK_BACK = Duration.ofDays(1);
    private static final Pattern STREAM_VERSION = Pattern.compile("\\[(\\d+)]");

    private final CloudWatchLogsClient logs;

    LambdaLogs(CloudWatchLogsClient logs) {
        this.logs = logs;
    }

    /** The function's log in {@code region}, read with the server's AWS clients. */
    public static LambdaLogs of(AwsClients aws, String region) {
        return new LambdaLogs(aws.logs(region));
    }

    /**
     * The events logged at or after {@code from}, oldest first, at most {@code maxBytes} of text (so one read of a
     * flood stays bounded; the rest comes with the next read). None when the function never logged.
     */
    public Events since(String functionName, Instant from, long maxBytes) {
        List<Event> events = new ArrayList<>();
        long bytes = 0;
        try {
            for (FilteredLogEvent event : logs.filterLogEventsPaginator(filter -> filter
                    .logGroupName("/aws/lambda/" + functionName).startTime(from.toEpochMilli())).events()) {
                String message = event.message() == null ? "" : event.message().stripTrailing();
                bytes += message.length();
                if (bytes > maxBytes && !events.isEmpty()) {
                    return new Events(sorted(events), false);
                }
                events.add(new Event(event.eventId(), Instant.ofEpochMilli(event.timestamp()), event.logStreamName(),
                        message));
            }
        } catch (ResourceNotFoundException e) {
            return new Events(List.of(), true);
        } catch (SdkException e) {
            throw AwsErrors.failure("FilterLogEvents of /aws/lambda/" + functionName, e);
        }
        return new Events(sorted(events), true);
    }

    private static List<Event> sorted(List<Event> events) {
        events.sort(Comparator.comparing(Event::at));
        return List.copyOf(events);
    }

    /** The last {@code limit} lines of the function's last day, oldest first; none when it never logged. */
    List<FunctionLogLine> tail(String functionName, int limit) {
        Deque<FunctionLogLine> last = new ArrayDeque<>();
        try {
            logs.filterLogEventsPaginator(filter -> filter.logGroupName("/aws/lambda/" + functionName)
                            .startTime(Instant.now().minus(LOOK_BACK).toEpochMilli()))
                    .events().forEach(event -> {
                        last.addLast(line(functionName, event));
                        if (last.size() > limit) {
                            last.removeFirst();
                        }
                    });
        } catch (ResourceNotFoundException e) {
            return List.of();
        } catch (SdkException e) {
            throw AwsErrors.failure("FilterLogEvents of /aws/lambda/" + functionName, e);
        }
        return List.copyOf(last);
    }

    private static FunctionLogLine line(String functionName, FilteredLogEvent event) {
        Matcher version = STREAM_VERSION.matcher(event.logStreamName() == null ? "" : event.logStreamName());
        String message = event.message() == null ? "" : event.message().stripTrailing();
        return new FunctionLogLine(Instant.ofEpochMilli(event.timestamp()), functionName,
                version.find() ? Integer.parseInt(version.group(1)) : 0, message);
    }
}
