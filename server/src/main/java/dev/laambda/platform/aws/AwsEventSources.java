package dev.laambda.platform.aws;

import dev.laambda.LaambdaException;
import dev.laambda.platform.EventRuleName;
import dev.laambda.platform.FunctionRef;
import dev.laambda.platform.FunctionSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ListRuleNamesByTargetResponse;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsResponse;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.GetBucketNotificationConfigurationResponse;
import software.amazon.awssdk.services.s3.model.LambdaFunctionConfiguration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.NotificationConfigurationFilter;
import software.amazon.awssdk.services.s3.model.S3KeyFilter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The AWS side of a function's event sources, all pointed at its {@code live} alias: an EventBridge rule and
 * target per schedule, an event source mapping per queue or stream, a bucket notification per bucket (and
 * prefix), and the statements in the alias's policy that let EventBridge and S3 invoke it. Every step is safe to
 * repeat: what is there already is left alone, what is gone already is not an error.
 */
final class AwsEventSources {

    /** The one target of a schedule's rule. */
    static final String TARGET_ID = "laambda";
    /** Sid prefixes of the statements that let a rule or a bucket invoke the alias. */
    static final String RULE_STATEMENT = "laambda-rule-";
    static final String BUCKET_STATEMENT = "laambda-s3-";
    private static final Logger log = LoggerFactory.getLogger(AwsEventSources.class);

    private final AwsClients aws;

    AwsEventSources(AwsClients aws) {
        this.aws = aws;
    }

    /** Makes each of the function's sources invoke its live alias (which must exist): what the switch adds. */
    void apply(FunctionSpec function) {
        if (function.eventSources().isEmpty()) {
            return;
        }
        LambdaFunction lambda = lambda(function.functionName(), function.region());
        String aliasArn = liveArn(lambda);
        for (String source : function.eventSources()) {
            ensure(function.region(), lambda, aliasArn, AwsEventSource.parse(source));
        }
    }

    /**
     * Undoes {@link #apply} after a failed switch: what {@code function} added beyond {@code before} goes, and a
     * mapping whose batch size it changed gets {@code before}'s back.
     */
    void restore(FunctionSpec function, List<String> before) {
        Map<String, AwsEventSource> previous = byIdentity(before);
        List<String> added = function.eventSources().stream().filter(source -> !before.contains(source)).toList();
        if (added.isEmpty()) {
            return;
        }
        LambdaFunction lambda = lambda(function.functionName(), function.region());
        Optional<String> aliasArn = lambda.aliasArn(AwsLambdaPlatform.LIVE_ALIAS);
        for (String text : added) {
            AwsEventSource source = AwsEventSource.parse(text);
            AwsEventSource earlier = previous.get(source.identity());
            if (earlier != null && aliasArn.isPresent()) {
                ensure(function.region(), lambda, aliasArn.get(), earlier);
            } else if (earlier == null) {
                remove(function.region(), lambda, source);
            }
        }
    }

    /** Takes away the sources in {@code before} that {@code function} no longer has: what finish removes. */
    void removeStale(FunctionSpec function, List<String> before) {
        Set<String> kept = function.eventSources().stream().map(source -> AwsEventSource.parse(source).identity())
                .collect(Collectors.toSet());
        List<AwsEventSource> stale = before.stream().map(AwsEventSource::parse)
                .filter(source -> !kept.contains(source.identity())).toList();
        if (stale.isEmpty()) {
            return;
        }
        LambdaFunction lambda = lambda(function.functionName(), function.region());
        for (AwsEventSource source : stale) {
            remove(function.region(), lambda, source);
        }
    }

    /**
     * Takes away every source Laambda gave the function, as AWS has them (rules targeting its live alias,
     * mappings on it, the buckets its policy names): before the function itself is deleted, which deletes none
     * of them.
     */
    void removeAll(FunctionRef function) {
        LambdaFunction lambda = lambda(function.functionName(), function.region());
        Optional<String> aliasArn = lambda.aliasArn(AwsLambdaPlatform.LIVE_ALIAS);
        if (aliasArn.isEmpty()) {
            return;
        }
        EventBridgeClient events = aws.eventBridge(function.region());
        List<String> rules = new ArrayList<>();
        String next = null;
        do {
            String page = next;
            ListRuleNamesByTargetResponse listed = call("ListRuleNamesByTarget of " + function.functionName(),
                    () -> events.listRuleNamesByTarget(list -> list.targetArn(aliasArn.get()).nextToken(page)));
            listed.ruleNames().stream().filter(rule -> EventRuleName.belongsTo(rule, function.functionName()))
                    .forEach(rules::add);
            next = listed.nextToken();
        } while (next != null);
        for (String rule : rules) {
            removeRule(events, lambda, rule);
        }
        for (EventSourceMappingConfiguration mapping : lambda.mappings(AwsLambdaPlatform.LIVE_ALIAS, null)) {
            lambda.deleteMapping(mapping.uuid());
        }
        Set<String> buckets = new LinkedHashSet<>();
        lambda.permittedSources(AwsLambdaPlatform.LIVE_ALIAS, BUCKET_STATEMENT)
                .forEach(arn -> buckets.add(arn.substring(arn.lastIndexOf(':') + 1)));
        String ours = notificationPrefix(function.functionName());
        for (String bucket : buckets) {
            changeNotifications(aws.s3(function.region()), bucket, false, configurations -> configurations.stream()
                    .filter(configuration -> !(configuration.id() != null && configuration.id().startsWith(ours)
                            && aliasArn.get().equals(configuration.lambdaFunctionArn()))).toList());
        }
    }

    private void ensure(String region, LambdaFunction lambda, String aliasArn, AwsEventSource source) {
        if (source instanceof AwsEventSource.Schedule schedule) {
            ensureRule(aws.eventBridge(region), lambda, aliasArn, schedule);
        } else if (source instanceof AwsEventSource.Mapping mapping) {
            ensureMapping(lambda, mapping);
        } else if (source instanceof AwsEventSource.Bucket bucket) {
            ensureNotification(aws.s3(region), lambda, aliasArn, bucket);
        }
        log.info("event=event_source_applied function={} source=\"{}\"", lambda.name(), source.canonical());
    }

    private void remove(String region, LambdaFunction lambda, AwsEventSource source) {
        if (source instanceof AwsEventSource.Schedule schedule) {
            removeRule(aws.eventBridge(region), lambda, schedule.ruleName(lambda.name()));
        } else if (source instanceof AwsEventSource.Mapping mapping) {
            lambda.mappings(AwsLambdaPlatform.LIVE_ALIAS, mapping.arn())
                    .forEach(existing -> lambda.deleteMapping(existing.uuid()));
        } else if (source instanceof AwsEventSource.Bucket bucket) {
            String id = notificationId(lambda.name(), bucket);
            changeNotifications(aws.s3(region), bucket.bucket(), false, configurations -> configurations.stream()
                    .filter(configuration -> !id.equals(configuration.id())).toList());
            lambda.revoke(AwsLambdaPlatform.LIVE_ALIAS, bucketStatement(lambda.name(), bucket));
        }
        log.info("event=event_source_removed function={} source=\"{}\"", lambda.name(), source.canonical());
    }

    // The permission first: EventBridge delivers to a target it may not invoke into the void.
    private void ensureRule(EventBridgeClient events, LambdaFunction lambda, String aliasArn,
                            AwsEventSource.Schedule schedule) {
        String rule = schedule.ruleName(lambda.name());
        String ruleArn = call("PutRule of " + rule, () -> events.putRule(put -> put.name(rule)
                .scheduleExpression(schedule.expression()).state(RuleState.ENABLED)
                .description("Laambda: " + schedule.canonical() + " invokes " + lambda.name() + ":"
                        + AwsLambdaPlatform.LIVE_ALIAS))).ruleArn();
        lambda.allowInvoke(AwsLambdaPlatform.LIVE_ALIAS, RULE_STATEMENT + rule, "events.amazonaws.com", ruleArn);
        PutTargetsResponse targets = call("PutTargets of " + rule, () -> events.putTargets(put -> put.rule(rule)
                .targets(Target.builder().id(TARGET_ID).arn(aliasArn).build())));
        if (targets.failedEntryCount() != null && targets.failedEntryCount() > 0) {
            throw AwsErrors.refused("PutTargets of " + rule, targets.failedEntries().get(0).errorCode(),
                    targets.failedEntries().get(0).errorMessage());
        }
    }

    private void removeRule(EventBridgeClient events, LambdaFunction lambda, String rule) {
        try {
            call("RemoveTargets of " + rule, () -> events.removeTargets(remove -> remove.rule(rule).ids(TARGET_ID)));
            call("DeleteRule of " + rule, () -> events.deleteRule(delete -> delete.name(rule)));
        } catch (GoneAlready e) {
            // Removed by an earlier finish that failed later on.
        }
        lambda.revoke(AwsLambdaPlatform.LIVE_ALIAS, RULE_STATEMENT + rule);
    }

    /** One mapping per queue or stream; a changed batch size updates it (a starting position only counts at creation). */
    private static void ensureMapping(LambdaFunction lambda, AwsEventSource.Mapping mapping) {
        List<EventSourceMappingConfiguration> existing = lambda.mappings(AwsLambdaPlatform.LIVE_ALIAS, mapping.arn());
        if (existing.isEmpty()) {
            lambda.createMapping(AwsLambdaPlatform.LIVE_ALIAS, mapping.arn(), mapping.batchSizeOrDefault(),
                    mapping.startingPositionOrDefault());
            return;
        }
        for (EventSourceMappingConfiguration configuration : existing) {
            if (configuration.batchSize() == null || configuration.batchSize() != mapping.batchSizeOrDefault()) {
                lambda.updateMappingBatchSize(configuration.uuid(), mapping.batchSizeOrDefault());
            }
        }
    }

    // The permission first: S3 checks that it may invoke the destination when the notification is put.
    private void ensureNotification(S3Client s3, LambdaFunction lambda, String aliasArn, AwsEventSource.Bucket bucket) {
        lambda.allowInvoke(AwsLambdaPlatform.LIVE_ALIAS, bucketStatement(lambda.name(), bucket), "s3.amazonaws.com",
                bucket.bucketArn());
        LambdaFunctionConfiguration.Builder wanted = LambdaFunctionConfiguration.builder()
                .id(notificationId(lambda.name(), bucket)).lambdaFunctionArn(aliasArn).events(Event.S3_OBJECT_CREATED);
        if (bucket.prefix() != null) {
            wanted.filter(NotificationConfigurationFilter.builder().key(S3KeyFilter.builder().filterRules(
                    // "prefix" as S3's documentation writes it (the SDK's enum says "Prefix"; S3 takes both, moto only this).
                    FilterRule.builder().name("prefix").value(bucket.prefix()).build()).build()).build());
        }
        LambdaFunctionConfiguration configuration = wanted.build();
        changeNotifications(s3, bucket.bucket(), true, configurations -> {
            List<LambdaFunctionConfiguration> changed = new ArrayList<>(configurations.stream()
                    .filter(other -> !configuration.id().equals(other.id())).toList());
            changed.add(configuration);
            return changed;
        });
    }

    /**
     * Reads the bucket's notifications, lets {@code change} give its new Lambda ones and puts them back with
     * every other kind (topics, queues, EventBridge) as they were; nothing when nothing changed, or when the
     * bucket is gone and not {@code required}.
     */
    private void changeNotifications(S3Client s3, String bucket, boolean required,
                                     Function<List<LambdaFunctionConfiguration>, List<LambdaFunctionConfiguration>> change) {
        GetBucketNotificationConfigurationResponse current;
        try {
            current = call("GetBucketNotificationConfiguration of " + bucket,
                    () -> s3.getBucketNotificationConfiguration(get -> get.bucket(bucket)));
        } catch (GoneAlready e) {
            if (required) {
                throw e;
            }
            return;
        }
        List<LambdaFunctionConfiguration> changed = change.apply(current.lambdaFunctionConfigurations());
        if (changed.equals(current.lambdaFunctionConfigurations())) {
            return;
        }
        NotificationConfiguration configuration = NotificationConfiguration.builder()
                .topicConfigurations(current.topicConfigurations()).queueConfigurations(current.queueConfigurations())
                .eventBridgeConfiguration(current.eventBridgeConfiguration()).lambdaFunctionConfigurations(changed).build();
        call("PutBucketNotificationConfiguration of " + bucket, () -> s3.putBucketNotificationConfiguration(put -> put
                .bucket(bucket).notificationConfiguration(configuration)));
    }

    private static String notificationPrefix(String functionName) {
        return "laambda-" + functionName + "-";
    }

    /** The bucket notification of one source of one function (a bucket may notify several, each under its prefix). */
    static String notificationId(String functionName, AwsEventSource.Bucket bucket) {
        return notificationPrefix(functionName) + EventRuleName.hash(bucket.identity());
    }

    private static String bucketStatement(String functionName, AwsEventSource.Bucket bucket) {
        return BUCKET_STATEMENT + EventRuleName.hash(functionName + " " + bucket.identity());
    }

    private LambdaFunction lambda(String functionName, String region) {
        return new LambdaFunction(aws.lambda(region), functionName);
    }

    private static String liveArn(LambdaFunction lambda) {
        return lambda.aliasArn(AwsLambdaPlatform.LIVE_ALIAS).orElseThrow(() -> new IllegalStateException(
                "event sources are applied after the switch made alias live of " + lambda.name()));
    }

    private static Map<String, AwsEventSource> byIdentity(List<String> sources) {
        return sources.stream().map(AwsEventSource::parse)
                .collect(Collectors.toMap(AwsEventSource::identity, source -> source, (first, second) -> first));
    }

    /** One EventBridge or S3 call, its errors as Laambda's; "no such rule or bucket" as GoneAlready. */
    private static <T> T call(String action, Supplier<T> request) {
        try {
            return request.get();
        } catch (software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException | NoSuchBucketException e) {
            throw new GoneAlready(AwsErrors.failure(action, e));
        } catch (SdkException e) {
            throw AwsErrors.failure(action, e);
        }
    }

    /** No such rule or bucket: the same one-line error, for removals, which expect it when a retry got there first. */
    private static final class GoneAlready extends LaambdaException {
        GoneAlready(LaambdaException e) {
            super(e.kind(), e.code(), e.getMessage());
        }
    }
}
