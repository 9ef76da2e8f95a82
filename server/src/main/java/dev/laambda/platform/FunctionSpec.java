package dev.laambda.platform;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Everything needed to run one function of one release: what a platform deploys and invokes.
 * {@code releaseVersion} names the code+config combination, so instances of two releases never mix.
 * {@code reservedConcurrency}: at most this many instances at once (0 takes no invocations), as Lambda's
 * reserved concurrency; empty for the platform's own limit. {@code appId}: the app it belongs to, which keeps
 * its unpacked code apart from every other app's. {@code eventSources}: what invokes it besides a caller, in
 * the canonical form a formation stores ({@code schedule:rate(5 minutes)}, {@code sqs:ARN?batch_size=5}), already
 * checked when they were added; the AWS platform applies them (platform/aws/AwsEventSources).
 */
public record FunctionSpec(long appId, String functionName, String handler, String runtime, int memoryMb, int timeoutS,
                           String artifactSha, int releaseVersion, String region, Map<String, String> environment,
                           OptionalInt reservedConcurrency, List<String> eventSources) {

    public FunctionSpec {
        environment = Map.copyOf(environment);
        eventSources = List.copyOf(eventSources);
    }

    /** A function nothing invokes but its callers. */
    public FunctionSpec(long appId, String functionName, String handler, String runtime, int memoryMb, int timeoutS,
                        String artifactSha, int releaseVersion, String region, Map<String, String> environment,
                        OptionalInt reservedConcurrency) {
        this(appId, functionName, handler, runtime, memoryMb, timeoutS, artifactSha, releaseVersion, region, environment,
                reservedConcurrency, List.of());
    }

    public FunctionRef ref() {
        return new FunctionRef(functionName, region);
    }
}
