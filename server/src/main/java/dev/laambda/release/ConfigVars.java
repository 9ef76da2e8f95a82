package dev.laambda.release;

import dev.laambda.AppSettings;
import dev.laambda.Echo;
import dev.laambda.LaambdaException;
import dev.laambda.ProcessEnvironment;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An app's environment variables, always valid for Lambda: keys a shell accepts, none of the names
 * Lambda reserves for itself, values a process environment can hold, and at most 4 KB in all. Error
 * messages name keys, never values.
 */
public record ConfigVars(SortedMap<String, String> values) {
    public static final int MAX_TOTAL_BYTES = 4096;
    private static final Pattern KEY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

    /** Set by Lambda itself in every function's environment (REFERENCE.md), so users may not set them. */
    public static final Set<String> RESERVED = Set.of(
            "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
            "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
            "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");

    public ConfigVars {
        values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
    }

    public static ConfigVars empty() {
        return new ConfigVars(new TreeMap<>());
    }

    /** This config with {@code changes} applied: a value sets the key, null unsets it. Validates the result. */
    public ConfigVars with(Map<String, String> changes) {
        TreeMap<String, String> next = new TreeMap<>(values);
        for (Map.Entry<String, String> change : changes.entrySet()) {
            String key = change.getKey();
            if (change.getValue() == null) {
                if (!next.containsKey(key)) {
                    throw LaambdaException.notFound("config_var_not_found", "Config var '" + key + "' is not set.");
                }
                next.remove(key);
            } else {
                checkKey(key);
                checkValue(key, change.getValue());
                AppSettings.check(key, change.getValue());
                next.put(key, change.getValue());
            }
        }
        ConfigVars result = new ConfigVars(next);
        result.checkSize();
        return result;
    }

    public static void checkKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw LaambdaException.invalid("invalid_config_key", "Config key '" + Echo.of(key)
                    + "' is invalid: use letters, digits and underscores, not starting with a digit.");
        }
        if (RESERVED.contains(key)) {
            throw LaambdaException.invalid("reserved_config_key",
                    "Config key '" + key + "' is reserved by the Lambda runtime: choose another name.");
        }
    }

    /** A NUL or an unpaired surrogate could not reach the function: refused, naming the key only. */
    public static void checkValue(String key, String value) {
        if (!ProcessEnvironment.canHold(value)) {
            throw LaambdaException.invalid("invalid_config_value", ProcessEnvironment.unholdable(key));
        }
    }

    /** Checks every value: a config stored before values were checked may hold one no process can. */
    public void checkValues() {
        ProcessEnvironment.firstUnholdable(values).ifPresent(key -> checkValue(key, values.get(key)));
    }

    /** Lambda counts the bytes of every key and value together. */
    public int totalBytes() {
        return values.entrySet().stream()
                .mapToInt(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length)
                .sum();
    }

    private void checkSize() {
        int size = totalBytes();
        if (size > MAX_TOTAL_BYTES) {
            throw LaambdaException.invalid("config_too_large", "Config vars would total " + size
                    + " bytes; Lambda allows " + MAX_TOTAL_BYTES + " bytes of keys and values: remove or shorten some.");
        }
    }

}
