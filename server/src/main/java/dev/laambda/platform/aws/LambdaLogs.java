package dev.laambda.platform.aws;

import dev.laambda.platform.FunctionLogLine;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lambda function's log as CloudWatch Logs has it, in the group /aws/lambda/NAME. Lambda names each stream
 * {@code 2026/11/29/[3]abc…}: the bracket holds the version that wrote it.
 */
final class LambdaLogs {

    /** How far back a tail looks: Lambda's log of the last day. */
    private static final Duration LOOK_BACK = Duration.ofDays(1);
    private static final Pattern STREAM_VERSION = Pattern.compile("\\[(\\d+)]");

    private final CloudWatchLogsClient logs;

    LambdaLogs(CloudWatchLogsClient logs) {
        this.logs = logs;
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
