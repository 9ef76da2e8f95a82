package dev.laambda.platform;

import java.util.Map;

/**
 * Everything needed to run one function of one release: what a platform deploys and invokes.
 * {@code releaseVersion} names the code+config combination, so instances of two releases never mix.
 */
public record FunctionSpec(String functionName, String handler, String runtime, int memoryMb, int timeoutS,
                           String artifactSha, int releaseVersion, String region, Map<String, String> environment) {

    public FunctionSpec {
        environment = Map.copyOf(environment);
    }
}
