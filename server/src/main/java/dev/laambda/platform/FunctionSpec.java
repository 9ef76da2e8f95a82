package dev.laambda.platform;

import java.util.Map;
import java.util.OptionalInt;

/**
 * Everything needed to run one function of one release: what a platform deploys and invokes.
 * {@code releaseVersion} names the code+config combination, so instances of two releases never mix.
 * {@code reservedConcurrency}: at most this many instances at once (0 takes no invocations), as Lambda's
 * reserved concurrency; empty for the platform's own limit. {@code appId}: the app it belongs to, which keeps
 * its unpacked code apart from every other app's.
 */
public record FunctionSpec(long appId, String functionName, String handler, String runtime, int memoryMb, int timeoutS,
                           String artifactSha, int releaseVersion, String region, Map<String, String> environment,
                           OptionalInt reservedConcurrency) {

    public FunctionSpec {
        environment = Map.copyOf(environment);
    }

    public FunctionRef ref() {
        return new FunctionRef(functionName, region);
    }
}
