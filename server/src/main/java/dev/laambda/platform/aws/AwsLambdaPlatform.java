package dev.laambda.platform.aws;

import dev.laambda.LaambdaException;
import dev.laambda.build.ArtifactStore;
import dev.laambda.build.S3ArtifactStore;
import dev.laambda.platform.FunctionLogLine;
import dev.laambda.platform.FunctionPlatform;
import dev.laambda.platform.FunctionRef;
import dev.laambda.platform.FunctionSpec;
import dev.laambda.platform.FunctionStatus;
import dev.laambda.platform.InvokeResult;
import dev.laambda.platform.PreparedRollout;
import dev.laambda.platform.Rollout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Functions on AWS Lambda, through the AWS SDK v2: each Procfile entry is a Lambda function APP-ENTRY whose
 * alias {@code live} points at the published version of the app's current release. Going live
 * (docs/architecture.md): <b>prepare</b> creates or updates each function and publishes a version (or reuses
 * one with the same code and configuration, as after a rollback); <b>switch</b> moves every alias, then gives
 * each function the event sources of the release (AwsEventSources), undoing both when one step fails;
 * <b>finish</b> takes away the sources the release no longer has and deletes the functions (with their sources) of
 * entries it no longer has. Sources are added only at the switch: every one targets the alias {@code live}, which a
 * new function has only then, and before it a new schedule or queue would reach the previous release's code.
 */
public final class AwsLambdaPlatform implements FunctionPlatform {

    /** The alias every caller invokes: moving it is what makes a release live. */
    public static final String LIVE_ALIAS = "live";
    /** Lambda takes a zip up to 50 MB in the request itself; larger ones only from S3. */
    static final long MAX_INLINE_ZIP_BYTES = 50L * 1024 * 1024;
    /** Lambda's limit on a function's environment variables, keys and values together. */
    static final int MAX_ENVIRONMENT_BYTES = 4 * 1024;
    /** The Procfile entry whose function gets a Function URL, as it gets the gateway's host name locally. */
    private static final String WEB_ENTRY = "web";
    private static final Logger log = LoggerFactory.getLogger(AwsLambdaPlatform.class);

    private final AwsClients aws;
    private final RoleCheck roles;
    private final AwsEventSources eventSources;
    private final ArtifactStore artifacts;
    /** Where zips over Lambda's 50 MB inline limit are taken from; empty: they are refused. */
    private final Optional<S3ArtifactStore> s3Artifacts;
    private final FunctionUrlAuth webUrlAuth;
    private final String endpointDescription;

    /** {@code webUrlAuth}: who may call the web entry's Function URL. */
    public AwsLambdaPlatform(AwsClients aws, ArtifactStore artifacts, FunctionUrlAuth webUrlAuth,
                             String endpointDescription) {
        this(aws, artifacts, Optional.empty(), webUrlAuth, endpointDescription);
    }

    /** {@code s3Artifacts}: the store zips over 50 MB are given to Lambda from (LAAMBDA_S3_BUCKET). */
    public AwsLambdaPlatform(AwsClients aws, ArtifactStore artifacts, Optional<S3ArtifactStore> s3Artifacts,
                             FunctionUrlAuth webUrlAuth, String endpointDescription) {
        this.s3Artifacts = s3Artifacts;
        this.aws = aws;
        this.roles = new RoleCheck(aws);
        this.eventSources = new AwsEventSources(aws);
        this.artifacts = artifacts;
        this.webUrlAuth = webUrlAuth;
        this.endpointDescription = endpointDescription;
    }

    @Override
    public String description() {
        return "aws (Lambda at " + endpointDescription + "; web Function URLs " + webUrlAuth.name().toLowerCase(Locale.ROOT) + ")";
    }

    @Override
    public PreparedRollout prepare(Rollout rollout, Consumer<String> progress) {
        List<Published> published = new ArrayList<>();
        if (!rollout.functions().isEmpty()) {
            RoleArn role = RoleArn.parse(rollout.roleArn().orElseThrow(() -> LaambdaException.invalid("role_required",
                    "App '" + rollout.appName() + "' runs on AWS Lambda but has no execution role: recreate it with "
                            + "--role arn:aws:iam::ACCOUNT:role/NAME.")));
            rollout.functions().forEach(AwsLambdaPlatform::checkEnvironment);
            // Lambda checks the role only when it creates a function: a role deleted since would go unnoticed by
            // a config change, and fail the next release half-way.
            roles.requireExisting(role);
            Map<String, LambdaFunction.Code> codes = new HashMap<>();
            for (FunctionSpec function : rollout.functions()) {
                LambdaFunction.Code code = codes.computeIfAbsent(function.artifactSha(), this::code);
                published.add(publish(rollout, function, code, configuration(function, role, rollout), progress));
            }
        }
        return new Switch(published, rollout.replaced(), rollout.removedFunctions());
    }

    @Override
    public InvokeResult invoke(FunctionSpec function, byte[] payload, Optional<String> clientContext) {
        try {
            InvokeResponse response = aws.lambda(function.region()).invoke(invoke -> invoke
                    .functionName(function.functionName()).qualifier(LIVE_ALIAS).logType(LogType.TAIL)
                    .payload(SdkBytes.fromByteArray(payload))
                    .clientContext(clientContext.map(context -> Base64.getEncoder()
                            .encodeToString(context.getBytes(StandardCharsets.UTF_8))).orElse(null)));
            String logTail = response.logResult() == null ? ""
                    : new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
            return new InvokeResult(response.payload() == null ? new byte[0] : response.payload().asByteArray(),
                    response.functionError(), logTail, response.executedVersion());
        } catch (SdkException e) {
            throw AwsErrors.failure("Invoke of " + function.functionName() + ":" + LIVE_ALIAS, e);
        }
    }

    /** Lambda's state of the function, its ARN, where {@code live} points and the alias's Function URL. */
    @Override
    public FunctionStatus status(FunctionRef function) {
        LambdaFunction lambda = new LambdaFunction(aws.lambda(function.region()), function.functionName());
        try {
            Optional<FunctionConfiguration> current = lambda.current();
            if (current.isEmpty()) {
                return new FunctionStatus("Missing", null, null, null, null, null);
            }
            return new FunctionStatus(current.get().stateAsString(), null, null, current.get().functionArn(),
                    lambda.aliasVersion(LIVE_ALIAS).orElse(null), lambda.functionUrl(LIVE_ALIAS).orElse(null));
        } catch (LaambdaException e) {
            // A listing stays readable when AWS cannot be asked; the state says why.
            log.warn("event=lambda_status_unavailable function={} code={}", function.functionName(), e.code());
            return new FunctionStatus("Unknown (" + e.code() + ")", null, null, null, null, null);
        }
    }

    @Override
    public List<FunctionLogLine> logs(FunctionRef function, int limit) {
        return new LambdaLogs(aws.logs(function.region())).tail(function.functionName(), limit);
    }

    /**
     * Deletes the functions with their versions, aliases and URLs, and the rules, mappings and bucket notifications
     * that invoke them (their app was destroyed): Lambda's DeleteFunction leaves those behind.
     */
    @Override
    public void remove(List<FunctionRef> functions) {
        for (FunctionRef function : functions) {
            delete(function);
        }
    }

    private void delete(FunctionRef function) {
        eventSources.removeAll(function);
        new LambdaFunction(aws.lambda(function.region()), function.functionName()).delete();
    }

    /**
     * The release's version of one function: an existing version with exactly this code and configuration (after
     * a rollback, or a config change back to an earlier value), else $LATEST updated and published.
     */
    private Published publish(Rollout rollout, FunctionSpec function, LambdaFunction.Code code,
                              LambdaFunction.Configuration configuration, Consumer<String> progress) {
        LambdaFunction lambda = new LambdaFunction(aws.lambda(function.region()), function.functionName());
        // A zip in S3 is not read here: its name is its SHA-256, so Lambda's CodeSha256 of it is known.
        String codeSha = code.zip() != null ? codeSha256(code.zip().asByteArrayUnsafe())
                : Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(function.artifactSha()));
        Optional<FunctionConfiguration> current = lambda.current();
        Optional<FunctionConfiguration> reusable = current.isEmpty() ? Optional.empty()
                : lambda.publishedVersions().stream().filter(version -> sameAs(version, codeSha, configuration))
                .reduce((older, newer) -> newer);
        String version;
        String arn;
        if (reusable.isPresent()) {
            version = reusable.get().version();
            arn = reusable.get().functionArn();
            progress.accept("-----> " + function.functionName() + ": reusing version " + version);
        } else {
            if (current.isEmpty() || !codeSha.equals(current.get().codeSha256())) {
                lambda.createOrUpdateCode(code, configuration);
            }
            if (current.isPresent()) {
                lambda.updateConfiguration(configuration);
            }
            version = lambda.publishVersion(configuration.description());
            arn = lambda.current().map(FunctionConfiguration::functionArn).orElse(function.functionName()) + ":" + version;
            progress.accept("-----> " + function.functionName() + ": published version " + version);
        }
        progress.accept("       " + arn);
        return new Published(lambda, function, entry(function, rollout), version);
    }

    /** Lambda's CodeSha256 of a zip: its SHA-256, base64. */
    static String codeSha256(byte[] zip) {
        try {
            return Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(zip));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** Whether a published version has this code and every setting the release gives the function. */
    private static boolean sameAs(FunctionConfiguration version, String codeSha,
                                  LambdaFunction.Configuration configuration) {
        Map<String, String> environment = version.environment() == null || version.environment().variables() == null
                ? Map.of() : version.environment().variables();
        return codeSha.equals(version.codeSha256())
                && configuration.handler().equals(version.handler())
                && configuration.runtime().equals(version.runtimeAsString())
                && version.memorySize() != null && configuration.memoryMb() == version.memorySize()
                && version.timeout() != null && configuration.timeoutSeconds() == version.timeout()
                && configuration.role().arn().equals(version.role())
                && configuration.environment().equals(environment);
    }

    private static LambdaFunction.Configuration configuration(FunctionSpec function, RoleArn role, Rollout rollout) {
        return new LambdaFunction.Configuration(function.handler(), function.runtime(), function.memoryMb(),
                function.timeoutS(), role, function.environment(), "laambda v" + rollout.version(),
                Map.of("laambda:app", rollout.appName(), "laambda:entry", entry(function, rollout),
                        "laambda:release", Integer.toString(rollout.version())));
    }

    /** The Procfile entry of the function APP-ENTRY. */
    private static String entry(FunctionSpec function, Rollout rollout) {
        return function.functionName().substring(rollout.appName().length() + 1);
    }

    /** Lambda refuses a function whose environment is over 4 KB; say so before any call, naming the function. */
    private static void checkEnvironment(FunctionSpec function) {
        int bytes = function.environment().entrySet().stream()
                .mapToInt(e -> utf8Length(e.getKey()) + utf8Length(e.getValue())).sum();
        if (bytes > MAX_ENVIRONMENT_BYTES) {
            throw LaambdaException.invalid("config_too_large", String.format(Locale.ROOT, "The config vars of %s take "
                    + "%d bytes, over Lambda's %d-byte limit for a function's environment: unset some (laambda "
                    + "config:unset) or keep large values elsewhere.", function.functionName(), bytes,
                    MAX_ENVIRONMENT_BYTES));
        }
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * The artifact as Lambda takes it: inline up to 50 MB, else as its object in the S3 store (asked for its size,
     * so a large zip is never downloaded here); without a bucket a large one is refused.
     */
    LambdaFunction.Code code(String artifactSha) {
        if (s3Artifacts.isPresent() && s3Artifacts.get().size(artifactSha) > MAX_INLINE_ZIP_BYTES) {
            S3ArtifactStore.Location location = s3Artifacts.get().location(artifactSha);
            return LambdaFunction.Code.inS3(location.bucket(), location.key());
        }
        Path file = artifacts.localCopy(artifactSha);
        try {
            long size = Files.size(file);
            if (size > MAX_INLINE_ZIP_BYTES) {
                throw LaambdaException.invalid("artifact_too_large", String.format(Locale.ROOT, "The artifact is %.1f "
                        + "MB zipped; Lambda takes over 50 MB only from S3, and this server has no S3 bucket: set "
                        + "LAAMBDA_S3_BUCKET (in the app's region) or make the app smaller.", size / 1_048_576.0));
            }
            return LambdaFunction.Code.inline(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read artifact " + artifactSha + ": " + e.getMessage(), e);
        }
    }

    /** The function of a Procfile entry of the release, published as {@code version}. */
    private record Published(LambdaFunction lambda, FunctionSpec function, String entry, String version) {
    }

    /** An alias that moved, and where it pointed before (empty: it was just created). */
    private record Moved(LambdaFunction lambda, Optional<String> before) {
    }

    /** Switch and finish of one prepared release. */
    private final class Switch implements PreparedRollout {

        private final List<Published> published;
        private final Map<String, FunctionSpec> replaced = new HashMap<>();
        private final List<FunctionSpec> removed;
        private final List<Moved> moved = new ArrayList<>();
        /** Functions whose sources the switch began to apply: what switching back undoes. */
        private final List<FunctionSpec> sourced = new ArrayList<>();

        Switch(List<Published> published, List<FunctionSpec> replaced, List<FunctionSpec> removed) {
            this.published = published;
            replaced.forEach(function -> this.replaced.put(function.functionName(), function));
            this.removed = removed;
        }

        /** The function's sources in the release this one replaces; none for a new entry. */
        private List<String> sourcesBefore(FunctionSpec function) {
            FunctionSpec before = replaced.get(function.functionName());
            return before == null ? List.of() : before.eventSources();
        }

        @Override
        public void switchLive() {
            try {
                for (Published function : published) {
                    moved.add(new Moved(function.lambda(), function.lambda().moveAlias(LIVE_ALIAS, function.version())));
                    if (function.entry().equals(WEB_ENTRY)) {
                        function.lambda().ensureFunctionUrl(LIVE_ALIAS, webUrlAuth.lambdaType());
                    }
                }
                for (Published function : published) {
                    sourced.add(function.function());
                    eventSources.apply(function.function());
                }
            } catch (RuntimeException e) {
                switchBack(e);
                throw e;
            }
        }

        @Override
        public void switchBack() {
            switchBack(null);
        }

        /**
         * Takes away the sources the switch added, then moves every alias that moved back where it was, newest
         * first; failures are kept on {@code cause}.
         */
        private void switchBack(RuntimeException cause) {
            for (int i = sourced.size() - 1; i >= 0; i--) {
                FunctionSpec function = sourced.get(i);
                try {
                    eventSources.restore(function, sourcesBefore(function));
                } catch (RuntimeException undo) {
                    log.error("event=event_sources_restore_failed function={} error=\"{}\"", function.functionName(),
                            undo.getMessage());
                    if (cause != null) {
                        cause.addSuppressed(undo);
                    }
                }
            }
            sourced.clear();
            for (int i = moved.size() - 1; i >= 0; i--) {
                Moved alias = moved.get(i);
                try {
                    if (alias.before().isPresent()) {
                        alias.lambda().moveAlias(LIVE_ALIAS, alias.before().get());
                    } else {
                        alias.lambda().deleteAlias(LIVE_ALIAS);
                    }
                } catch (RuntimeException undo) {
                    log.error("event=lambda_alias_restore_failed function={} error=\"{}\"", alias.lambda().name(),
                            undo.getMessage());
                    if (cause != null) {
                        cause.addSuppressed(undo);
                    }
                }
            }
            moved.clear();
        }

        /** Each step is tried even when one before it failed; the first failure is thrown, for a retry. */
        @Override
        public void finish() {
            List<Runnable> steps = new ArrayList<>();
            for (Published function : published) {
                steps.add(() -> eventSources.removeStale(function.function(), sourcesBefore(function.function())));
            }
            for (FunctionSpec function : removed) {
                steps.add(() -> delete(function.ref()));
            }
            RuntimeException failed = null;
            for (Runnable step : steps) {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    if (failed == null) {
                        failed = e;
                    } else {
                        failed.addSuppressed(e);
                    }
                }
            }
            if (failed != null) {
                throw failed;
            }
        }
    }
}
