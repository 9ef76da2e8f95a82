package dev.laambda.platform.local;

import java.nio.file.Path;
import java.util.Map;

/** The Lambda environment the conformance tests give a runtime client they start by hand. */
final class ConformanceFunction {

    private ConformanceFunction() {
    }

    /** Puts the variables Lambda sets for a function named "conformance" into {@code env}. */
    static void environment(Map<String, String> env, String runtimeApi, Path taskRoot, String handler, int memoryMb) {
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("_HANDLER", handler);
        env.put("AWS_LAMBDA_FUNCTION_NAME", "conformance");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(memoryMb));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/conformance");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
        env.put("AWS_REGION", "us-east-1");
    }
}
