package dev.laambda.platform;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One release on its way to a platform (docs/architecture.md, "Going live"): the functions release
 * {@code version} of the app runs, and those of the release it replaces. Either list is empty for a release
 * with no code yet. Every function carries {@code version} as its release version. {@code roleArn}: the app's
 * execution role, which the AWS platform gives each function.
 */
public record Rollout(long appId, String appName, Optional<String> roleArn, int version, List<FunctionSpec> functions,
                      List<FunctionSpec> replaced) {

    public Rollout {
        functions = List.copyOf(functions);
        replaced = List.copyOf(replaced);
    }

    /** The functions of the replaced release that this one no longer has (their Procfile entry went). */
    public List<FunctionSpec> removedFunctions() {
        Set<String> kept = functions.stream().map(FunctionSpec::functionName).collect(Collectors.toSet());
        return replaced.stream().filter(function -> !kept.contains(function.functionName())).toList();
    }
}
