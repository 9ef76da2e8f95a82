package dev.laambda.runtime;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one catalogue of Lambda runtimes Laambda builds and runs: what Apps accepts, which build and run images
 * the builders and launchers use, and the list every "unknown runtime" message shows. A runtime missing here
 * is refused at apps:create instead of failing on its first push.
 */
public final class Runtimes {

    private static final Map<String, LambdaRuntime> BY_ID = catalogue(
            // Deprecated: Lambda no longer patches them (python3.9 since December 2025, nodejs18.x since
            // September 2025); still built and run so that existing apps keep deploying.
            python("3.9", true), python("3.10", false), python("3.11", false), python("3.12", false), python("3.13", false),
            nodejs("18", true), nodejs("20", false), nodejs("22", false),
            java("11"), java("17"), java("21"),
            provided("al2"), provided("al2023"));

    /** Each family's runtime when an app names none: the buildpacks' default_runtime, the images stacks/build.sh makes. */
    private static final Map<RuntimeFamily, String> FAMILY_DEFAULTS = Map.of(
            RuntimeFamily.PYTHON, "python3.13", RuntimeFamily.NODEJS, "nodejs20.x",
            RuntimeFamily.JAVA, "java21", RuntimeFamily.PROVIDED, "provided.al2023");

    private Runtimes() {
    }

    public static Optional<LambdaRuntime> find(String id) {
        return Optional.ofNullable(id == null ? null : BY_ID.get(id));
    }

    /**
     * The runtime {@code id}, or a LaambdaException with {@code code} listing the runtimes; {@code alternative}
     * (may be empty) names another way out, such as "set LAAMBDA_BUILD_IMAGE".
     */
    public static LambdaRuntime require(String id, String code, String alternative) {
        return find(id).orElseThrow(() -> LaambdaException.invalid(code, "Runtime '" + Echo.of(id)
                + "' is not one Laambda runs: use one of " + choices()
                + (alternative.isEmpty() ? "" : ", or " + alternative) + "."));
    }

    /** All runtimes, each family's oldest first. */
    public static List<LambdaRuntime> all() {
        return List.copyOf(BY_ID.values());
    }

    /** The family's default runtime: python3.13, nodejs20.x, java21, provided.al2023. */
    public static LambdaRuntime defaultOf(RuntimeFamily family) {
        return BY_ID.get(FAMILY_DEFAULTS.get(family));
    }

    /**
     * For a deprecated runtime, the warning a push shows: "python3.9 is deprecated on AWS Lambda (no more security
     * patches): move to python3.13 (the family's default)".
     */
    public static Optional<String> deprecationWarning(LambdaRuntime runtime) {
        if (!runtime.deprecated()) {
            return Optional.empty();
        }
        return Optional.of(runtime.id() + " is deprecated on AWS Lambda (no more security patches): move to "
                + defaultOf(runtime.family()).id() + " (the family's default)");
    }

    /** "python3.9, python3.10, …, provided.al2023": the ids, for messages. */
    static String choices() {
        return String.join(", ", BY_ID.keySet());
    }

    private static LambdaRuntime python(String version, boolean deprecated) {
        return new LambdaRuntime("python" + version, RuntimeFamily.PYTHON, samBuild("python" + version),
                lambdaBase("python", version), LaunchKind.RUNTIME_CLIENT, deprecated);
    }

    private static LambdaRuntime nodejs(String major, boolean deprecated) {
        return new LambdaRuntime("nodejs" + major + ".x", RuntimeFamily.NODEJS, samBuild("nodejs" + major + ".x"),
                lambdaBase("nodejs", major), LaunchKind.RUNTIME_CLIENT, deprecated);
    }

    private static LambdaRuntime java(String version) {
        return new LambdaRuntime("java" + version, RuntimeFamily.JAVA, samBuild("java" + version),
                lambdaBase("java", version), LaunchKind.RUNTIME_CLIENT, false);
    }

    private static LambdaRuntime provided(String os) {
        return new LambdaRuntime("provided." + os, RuntimeFamily.PROVIDED, samBuild("provided." + os),
                lambdaBase("provided", os), LaunchKind.BOOTSTRAP, false);
    }

    /** AWS SAM's build image: public.ecr.aws/sam/build-python3.13:latest. */
    private static String samBuild(String id) {
        return "public.ecr.aws/sam/build-" + id + ":latest";
    }

    /** AWS's Lambda base image: public.ecr.aws/lambda/python:3.13, nodejs:20, java:21, provided:al2023. */
    private static String lambdaBase(String family, String tag) {
        return "public.ecr.aws/lambda/" + family + ":" + tag;
    }

    private static Map<String, LambdaRuntime> catalogue(LambdaRuntime... runtimes) {
        return Collections.unmodifiableMap(Arrays.stream(runtimes).collect(Collectors.toMap(
                LambdaRuntime::id, runtime -> runtime, (a, b) -> { throw new IllegalStateException("duplicate " + a.id()); },
                LinkedHashMap::new)));
    }
}
