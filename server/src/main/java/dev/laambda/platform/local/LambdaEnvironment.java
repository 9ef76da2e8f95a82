package dev.laambda.platform.local;

import dev.laambda.LaambdaException;
import dev.laambda.ProcessEnvironment;
import dev.laambda.platform.FunctionSpec;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** The environment variables Lambda gives every function (REFERENCE.md), for code at {@code taskRoot}. */
final class LambdaEnvironment {

    /** Lambda's PATH. */
    static final String PATH = "/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin";

    private LambdaEnvironment() {
    }

    /**
     * Lambda's variables with the release's config on top (config cannot replace Lambda's reserved names:
     * ConfigVars refuses them).
     */
    static Map<String, String> of(FunctionSpec spec, String taskRoot, String runtimeDir, String runtimeApi, String tmp) {
        // A release stored before config values were checked may still carry one no process can hold.
        ProcessEnvironment.firstUnholdable(spec.environment()).ifPresent(key -> {
            throw LaambdaException.conflict("invalid_config_value", ProcessEnvironment.unholdable(key));
        });
        Map<String, String> env = new HashMap<>();
        env.put("PATH", PATH);
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LD_LIBRARY_PATH", "/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib");
        env.put("TMPDIR", tmp);
        env.put("HOME", tmp);
        env.put("_HANDLER", spec.handler());
        env.put("AWS_REGION", spec.region());
        env.put("AWS_DEFAULT_REGION", spec.region());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + spec.runtime());
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.functionName());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(spec.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", String.valueOf(spec.releaseVersion()));
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.functionName());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", Instant.now().toString().substring(0, 10).replace('-', '/')
                + "/[" + spec.releaseVersion() + "]" + UUID.randomUUID().toString().replace("-", ""));
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("LAMBDA_TASK_ROOT", taskRoot);
        env.put("LAMBDA_RUNTIME_DIR", runtimeDir);
        env.putAll(spec.environment());
        return env;
    }
}
