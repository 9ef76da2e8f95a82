package dev.laambda.platform.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.LaambdaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Environment;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionUrlConfigResponse;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.waiters.LambdaWaiter;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Lambda API calls for one function: its code and configuration (each change waited out with the SDK's
 * waiters until Lambda reports it done), its published versions, an alias pointing at one of them, its Function
 * URL, and its deletion. Every AWS error comes out as one line naming the call, the function and AWS's code.
 */
public final class LambdaFunction {

    private static final Logger log = LoggerFactory.getLogger(LambdaFunction.class);

    /** Statements that let anyone call a Function URL whose auth type is NONE (AWS asks for both since 2025). */
    private static final String PUBLIC_URL_STATEMENT = "laambda-function-url-public";
    private static final String PUBLIC_URL_INVOKE_STATEMENT = "laambda-function-url-public-invoke";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a function runs with besides its code. {@code runtime} is Lambda's id (python3.13, provided.al2023). */
    public record Configuration(String handler, String runtime, int memoryMb, int timeoutSeconds, RoleArn role,
                                Map<String, String> environment, String description, Map<String, String> tags) {
        public Configuration {
            environment = Map.copyOf(environment);
            tags = Map.copyOf(tags);
        }
    }

    /**
     * A function's code as Lambda takes it: the zip in the request (up to 50 MB), or an object in an S3 bucket of
     * the function's region. Exactly one of {@code zip} and {@code s3Bucket}/{@code s3Key} is set.
     */
    public record Code(SdkBytes zip, String s3Bucket, String s3Key) {
        public static Code inline(byte[] zip) {
            return new Code(SdkBytes.fromByteArray(zip), null, null);
        }

        public static Code inS3(String bucket, String key) {
            return new Code(null, bucket, key);
        }
    }

    private final LambdaClient lambda;
    private final String name;

    public LambdaFunction(LambdaClient lambda, String name) {
        this.lambda = lambda;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The function's $LATEST as Lambda has it, or empty when there is no such function. */
    public Optional<FunctionConfiguration> current() {
        try {
            return Optional.of(call("GetFunction", () -> lambda.getFunction(get -> get.functionName(name))).configuration());
        } catch (NotFound e) {
            return Optional.empty();
        }
    }

    /**
     * Creates the function with this code and configuration, or gives the existing one this code (its
     * configuration is {@link #updateConfiguration}'s job), and waits until Lambda has it ready.
     */
    public FunctionConfiguration createOrUpdateCode(byte[] zip, Configuration configuration) {
        return createOrUpdateCode(Code.inline(zip), configuration);
    }

    /** As {@link #createOrUpdateCode(byte[], Configuration)}, the code inline or in S3. */
    public FunctionConfiguration createOrUpdateCode(Code code, Configuration configuration) {
        if (current().isEmpty()) {
            call("CreateFunction", () -> lambda.createFunction(create -> create.functionName(name)
                    .code(c -> c.zipFile(code.zip()).s3Bucket(code.s3Bucket()).s3Key(code.s3Key())).handler(configuration.handler()).runtime(configuration.runtime())
                    .memorySize(configuration.memoryMb()).timeout(configuration.timeoutSeconds())
                    .role(configuration.role().arn()).environment(environment(configuration))
                    .description(configuration.description()).tags(configuration.tags())));
            FunctionConfiguration created = waitUntilReady(true);
            log.info("event=lambda_function_created function={} code_sha256={}", name, created.codeSha256());
            return created;
        }
        call("UpdateFunctionCode", () -> lambda.updateFunctionCode(update -> update.functionName(name)
                .zipFile(code.zip()).s3Bucket(code.s3Bucket()).s3Key(code.s3Key())));
        FunctionConfiguration updated = waitUntilReady(false);
        log.info("event=lambda_code_updated function={} code_sha256={}", name, updated.codeSha256());
        return updated;
    }

    /** Sets handler, runtime, memory, timeout, role, environment and description, and the tags; waits until done. */
    public FunctionConfiguration updateConfiguration(Configuration configuration) {
        UpdateFunctionConfigurationResponse changed = call("UpdateFunctionConfiguration", () ->
                lambda.updateFunctionConfiguration(update -> update.functionName(name)
                        .handler(configuration.handler()).runtime(configuration.runtime())
                        .memorySize(configuration.memoryMb()).timeout(configuration.timeoutSeconds())
                        .role(configuration.role().arn()).environment(environment(configuration))
                        .description(configuration.description())));
        if (!configuration.tags().isEmpty()) {
            call("TagResource", () -> lambda.tagResource(tag -> tag.resource(changed.functionArn())
                    .tags(configuration.tags())));
        }
        FunctionConfiguration updated = waitUntilReady(false);
        log.info("event=lambda_configuration_updated function={}", name);
        return updated;
    }

    /** Publishes $LATEST as a new version and waits until it can be invoked; returns its number ("3"). */
    public String publishVersion(String description) {
        String version = call("PublishVersion", () -> lambda.publishVersion(publish -> publish.functionName(name)
                .description(description))).version();
        try (LambdaWaiter waiter = lambda.waiter()) {
            waiter.waitUntilPublishedVersionActive(get -> get.functionName(name).qualifier(version));
        } catch (AwsServiceException e) {
            throw AwsErrors.failure("PublishVersion of " + name, e);
        } catch (SdkClientException e) {
            throw notReady(configuration(version));
        }
        log.info("event=lambda_version_published function={} version={}", name, version);
        return version;
    }

    /**
     * Every published version, oldest first ($LATEST left out): what a rollback or an unchanged config can
     * reuse instead of publishing again (compare code_sha256 and the configuration; moto, unlike Lambda,
     * publishes a new version even when nothing changed).
     */
    public List<FunctionConfiguration> publishedVersions() {
        return call("ListVersionsByFunction", () -> lambda.listVersionsByFunctionPaginator(list -> list.functionName(name))
                .versions().stream().filter(version -> !version.version().equals("$LATEST"))
                .sorted(Comparator.comparingLong(version -> Long.parseLong(version.version()))).toList());
    }

    /**
     * Points the alias at {@code version}, creating the alias when missing. Returns the version it pointed at
     * before (the same one when nothing moved), or empty when it was just created: what to move it back to.
     */
    public Optional<String> moveAlias(String alias, String version) {
        Optional<GetAliasResponse> before;
        try {
            before = Optional.of(call("GetAlias", () -> lambda.getAlias(get -> get.functionName(name).name(alias))));
        } catch (NotFound e) {
            before = Optional.empty();
        }
        if (before.isEmpty()) {
            call("CreateAlias", () -> lambda.createAlias(create -> create.functionName(name).name(alias)
                    .functionVersion(version)));
        } else if (!before.get().functionVersion().equals(version)) {
            call("UpdateAlias", () -> lambda.updateAlias(update -> update.functionName(name).name(alias)
                    .functionVersion(version)));
        }
        Optional<String> previous = before.map(GetAliasResponse::functionVersion);
        log.info("event=lambda_alias_moved function={} alias={} from={} to={}", name, alias, previous.orElse("none"),
                version);
        return previous;
    }

    /** The version the alias points at; empty when the function or the alias does not exist. */
    public Optional<String> aliasVersion(String alias) {
        try {
            return Optional.of(call("GetAlias", () -> lambda.getAlias(get -> get.functionName(name).name(alias)))
                    .functionVersion());
        } catch (NotFound e) {
            return Optional.empty();
        }
    }

    /** The alias's Function URL; empty when it has none. */
    public Optional<String> functionUrl(String alias) {
        try {
            return Optional.of(call("GetFunctionUrlConfig", () ->
                    lambda.getFunctionUrlConfig(get -> get.functionName(name).qualifier(alias))).functionUrl());
        } catch (NotFound e) {
            return Optional.empty();
        }
    }

    /** Deletes the alias (undoing a {@link #moveAlias} that created it); false when there was none. */
    public boolean deleteAlias(String alias) {
        try {
            call("DeleteAlias", () -> lambda.deleteAlias(delete -> delete.functionName(name).name(alias)));
        } catch (NotFound e) {
            return false;
        }
        log.info("event=lambda_alias_deleted function={} alias={}", name, alias);
        return true;
    }

    /**
     * The alias's Function URL, made (or its auth type changed) when needed. With NONE anyone may call it, so the
     * function's policy gets the statements that allow that; with AWS_IAM they are taken away again.
     */
    public String ensureFunctionUrl(String alias, FunctionUrlAuthType authType) {
        Optional<GetFunctionUrlConfigResponse> existing;
        try {
            existing = Optional.of(call("GetFunctionUrlConfig", () ->
                    lambda.getFunctionUrlConfig(get -> get.functionName(name).qualifier(alias))));
        } catch (NotFound e) {
            existing = Optional.empty();
        }
        String url;
        if (existing.isEmpty()) {
            url = call("CreateFunctionUrlConfig", () -> lambda.createFunctionUrlConfig(create ->
                    create.functionName(name).qualifier(alias).authType(authType))).functionUrl();
            log.info("event=lambda_function_url_created function={} alias={} auth_type={}", name, alias, authType);
        } else if (existing.get().authType() != authType) {
            url = call("UpdateFunctionUrlConfig", () -> lambda.updateFunctionUrlConfig(update ->
                    update.functionName(name).qualifier(alias).authType(authType))).functionUrl();
            log.info("event=lambda_function_url_auth_changed function={} alias={} auth_type={}", name, alias, authType);
        } else {
            url = existing.get().functionUrl();
        }
        if (authType == FunctionUrlAuthType.NONE) {
            allowPublicUrl(alias);
        } else {
            forbidPublicUrl(alias);
        }
        return url;
    }

    /** Deletes the function with its versions, aliases, URLs and policy; false when there was none. */
    public boolean delete() {
        try {
            call("DeleteFunction", () -> lambda.deleteFunction(delete -> delete.functionName(name)));
        } catch (NotFound e) {
            return false;
        }
        log.info("event=lambda_function_deleted function={}", name);
        return true;
    }

    // The statements are looked up first rather than added blindly: Lambda refuses a statement id twice, and
    // moto would keep both copies.
    private void allowPublicUrl(String alias) {
        Set<String> present = statementIds(alias);
        if (!present.contains(PUBLIC_URL_STATEMENT)) {
            call("AddPermission", () -> lambda.addPermission(allow -> allow.functionName(name).qualifier(alias)
                    .statementId(PUBLIC_URL_STATEMENT).action("lambda:InvokeFunctionUrl").principal("*")
                    .functionUrlAuthType(FunctionUrlAuthType.NONE)));
        }
        if (!present.contains(PUBLIC_URL_INVOKE_STATEMENT)) {
            call("AddPermission", () -> lambda.addPermission(allow -> allow.functionName(name).qualifier(alias)
                    .statementId(PUBLIC_URL_INVOKE_STATEMENT).action("lambda:InvokeFunction").principal("*")
                    .invokedViaFunctionUrl(true)));
        }
    }

    private void forbidPublicUrl(String alias) {
        Set<String> present = statementIds(alias);
        for (String statement : List.of(PUBLIC_URL_STATEMENT, PUBLIC_URL_INVOKE_STATEMENT)) {
            if (present.contains(statement)) {
                call("RemovePermission", () -> lambda.removePermission(remove -> remove.functionName(name)
                        .qualifier(alias).statementId(statement)));
            }
        }
    }

    /** The Sids of the alias's resource policy; none when it has no policy. */
    private Set<String> statementIds(String alias) {
        return policyStatements(alias).keySet();
    }

    /** The statements of the alias's resource policy by Sid; none when it has no policy. */
    private Map<String, JsonNode> policyStatements(String alias) {
        String policy;
        try {
            policy = call("GetPolicy", () -> lambda.getPolicy(get -> get.functionName(name).qualifier(alias))).policy();
        } catch (NotFound e) {
            return Map.of();
        }
        Map<String, JsonNode> statements = new LinkedHashMap<>();
        try {
            JSON.readTree(policy).path("Statement").forEach(statement -> statements.put(statement.path("Sid").asText(),
                    statement));
        } catch (JsonProcessingException e) {
            throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "aws_error",
                    "GetPolicy of " + name + " failed: the policy Lambda returned is not JSON");
        }
        return statements;
    }

    /** The alias's ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME:ALIAS); empty when there is no such alias. */
    public Optional<String> aliasArn(String alias) {
        try {
            return Optional.of(call("GetAlias", () -> lambda.getAlias(get -> get.functionName(name).name(alias)))
                    .aliasArn());
        } catch (NotFound e) {
            return Optional.empty();
        }
    }

    /**
     * Lets {@code principal} (a service, events.amazonaws.com) invoke the alias on behalf of {@code sourceArn}
     * only, under statement {@code sid}; nothing when the statement is there already (Lambda refuses a Sid twice).
     */
    public void allowInvoke(String alias, String sid, String principal, String sourceArn) {
        if (statementIds(alias).contains(sid)) {
            return;
        }
        call("AddPermission", () -> lambda.addPermission(allow -> allow.functionName(name).qualifier(alias)
                .statementId(sid).action("lambda:InvokeFunction").principal(principal).sourceArn(sourceArn)));
        log.info("event=lambda_permission_added function={} alias={} sid={} principal={}", name, alias, sid, principal);
    }

    /** Takes statement {@code sid} out of the alias's policy; nothing when it is not there. */
    public void revoke(String alias, String sid) {
        if (!statementIds(alias).contains(sid)) {
            return;
        }
        try {
            call("RemovePermission", () -> lambda.removePermission(remove -> remove.functionName(name).qualifier(alias)
                    .statementId(sid)));
        } catch (NotFound e) {
            return;
        }
        log.info("event=lambda_permission_removed function={} alias={} sid={}", name, alias, sid);
    }

    /** The source ARNs (AWS:SourceArn) of the alias's statements whose Sid starts with {@code sidPrefix}. */
    public List<String> permittedSources(String alias, String sidPrefix) {
        return policyStatements(alias).entrySet().stream().filter(statement -> statement.getKey().startsWith(sidPrefix))
                .map(statement -> statement.getValue().path("Condition").path("ArnLike").path("AWS:SourceArn").asText(""))
                .filter(arn -> !arn.isEmpty()).toList();
    }

    /** The event source mappings on the alias ({@code NAME:ALIAS}), of {@code sourceArn} only unless it is null. */
    public List<EventSourceMappingConfiguration> mappings(String alias, String sourceArn) {
        try {
            return call("ListEventSourceMappings", () -> lambda.listEventSourceMappingsPaginator(list -> list
                    .functionName(name + ":" + alias).eventSourceArn(sourceArn)).eventSourceMappings().stream().toList());
        } catch (NotFound e) {
            return List.of();
        }
    }

    /** Maps a queue or stream to the alias; {@code startingPosition} null for a queue. Returns the mapping's UUID. */
    public String createMapping(String alias, String sourceArn, int batchSize, String startingPosition) {
        String uuid = call("CreateEventSourceMapping", () -> lambda.createEventSourceMapping(create -> create
                .functionName(name + ":" + alias).eventSourceArn(sourceArn).batchSize(batchSize).enabled(true)
                .startingPosition(startingPosition))).uuid();
        log.info("event=lambda_mapping_created function={} alias={} uuid={} source={}", name, alias, uuid, sourceArn);
        return uuid;
    }

    public void updateMappingBatchSize(String uuid, int batchSize) {
        call("UpdateEventSourceMapping", () -> lambda.updateEventSourceMapping(update -> update.uuid(uuid)
                .batchSize(batchSize)));
        log.info("event=lambda_mapping_updated function={} uuid={} batch_size={}", name, uuid, batchSize);
    }

    /** Deletes the mapping; nothing when it is gone already. */
    public void deleteMapping(String uuid) {
        try {
            call("DeleteEventSourceMapping", () -> lambda.deleteEventSourceMapping(delete -> delete.uuid(uuid)));
        } catch (NotFound e) {
            return;
        }
        log.info("event=lambda_mapping_deleted function={} uuid={}", name, uuid);
    }

    /**
     * Waits with the SDK's waiter (Active after a create, LastUpdateStatus no longer InProgress after an
     * update) and checks that the change succeeded: a failed one is reported with Lambda's reason.
     */
    private FunctionConfiguration waitUntilReady(boolean created) {
        FunctionConfiguration settled = null;
        try (LambdaWaiter waiter = lambda.waiter()) {
            Optional<GetFunctionResponse> matched = (created
                    ? waiter.waitUntilFunctionActiveV2(get -> get.functionName(name))
                    : waiter.waitUntilFunctionUpdatedV2(get -> get.functionName(name))).matched().response();
            settled = matched.map(GetFunctionResponse::configuration).orElse(null);
        } catch (AwsServiceException e) {
            throw AwsErrors.failure("GetFunction of " + name, e);
        } catch (SdkClientException e) {
            // A failure state matched or the waiter ran out of time: the configuration says which and why.
        }
        if (settled == null) {
            settled = configuration("$LATEST");
        }
        boolean done = settled.lastUpdateStatus() == LastUpdateStatus.SUCCESSFUL
                || created && settled.lastUpdateStatus() == null && settled.state() == State.ACTIVE;
        if (!done) {
            throw notReady(settled);
        }
        return settled;
    }

    private FunctionConfiguration configuration(String qualifier) {
        return call("GetFunction", () -> lambda.getFunction(get -> get.functionName(name).qualifier(qualifier))).configuration();
    }

    private LaambdaException notReady(FunctionConfiguration settled) {
        String reason = settled.lastUpdateStatusReason() != null ? settled.lastUpdateStatusReason() : settled.stateReason();
        return new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "aws_function_not_ready", "Lambda function " + name
                + " did not become ready: State=" + settled.stateAsString() + " LastUpdateStatus="
                + settled.lastUpdateStatusAsString() + (reason == null ? "" : " (" + reason.strip() + ")"));
    }

    private static Environment environment(Configuration configuration) {
        return Environment.builder().variables(configuration.environment()).build();
    }

    /** One Lambda call, its errors as Laambda's; "no such resource" as the private NotFound, for the callers that expect it. */
    private <T> T call(String operation, Supplier<T> request) {
        try {
            return request.get();
        } catch (ResourceNotFoundException e) {
            throw new NotFound(AwsErrors.failure(operation + " of " + name, e));
        } catch (SdkException e) {
            throw AwsErrors.failure(operation + " of " + name, e);
        }
    }

    /** ResourceNotFoundException: the same one-line error, for the callers that treat it as an answer. */
    private static final class NotFound extends LaambdaException {
        NotFound(LaambdaException e) {
            super(e.kind(), e.code(), e.getMessage());
        }
    }
}
