package dev.laambda.platform.aws;

import dev.laambda.build.FileArtifactStore;
import dev.laambda.platform.EventRuleName;
import dev.laambda.platform.FunctionRef;
import dev.laambda.platform.FunctionSpec;
import dev.laambda.platform.PreparedRollout;
import dev.laambda.platform.Rollout;
import dev.laambda.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Rule;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetBucketNotificationConfigurationResponse;
import software.amazon.awssdk.services.s3.model.LambdaFunctionConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Event sources of an aws app's functions going live with its releases — in moto, through the real SDK: each
 * schedule is an EventBridge rule whose one target is the function's live alias, each queue or stream an event
 * source mapping on it, each bucket a notification to it, with the permissions that let EventBridge and S3
 * invoke it; exactly as the formation says after every release, a rollback, a failed switch and a deletion.
 */
class AwsEventSourcesTest {

    private static final String REGION = "us-east-1";
    private static final String CODE = "3".repeat(64);
    private static final String FIVE_MINUTES = "schedule:rate(5 minutes)";
    private static final String NOON = "schedule:cron(0 12 * * ? *)";

    private static MotoServer moto;
    private static AwsClients aws;
    private static LambdaClient lambda;
    private static EventBridgeClient events;
    private static S3Client s3;
    private static SqsClient sqs;
    private static KinesisClient kinesis;
    private static DynamoDbClient dynamodb;
    @TempDir
    static Path artifacts;
    private AwsLambdaPlatform platform;
    private String role;
    private List<FunctionSpec> live = List.of();
    private int version = 1;

    @BeforeAll
    static void startMoto() throws IOException {
        moto = MotoServer.start();
        aws = moto.aws();
        lambda = aws.lambda(REGION);
        events = aws.eventBridge(REGION);
        s3 = aws.s3(REGION);
        sqs = SqsClient.builder().region(Region.of(REGION)).endpointOverride(moto.endpoint())
                .credentialsProvider(moto.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        // moto's Kinesis speaks JSON only; the SDK's Kinesis client would send CBOR.
        System.setProperty("aws.cborEnabled", "false");
        kinesis = KinesisClient.builder().region(Region.of(REGION)).endpointOverride(moto.endpoint())
                .credentialsProvider(moto.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        dynamodb = DynamoDbClient.builder().region(Region.of(REGION)).endpointOverride(moto.endpoint())
                .credentialsProvider(moto.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        Path file = artifacts.resolve(CODE.substring(0, 2)).resolve(CODE + ".zip");
        Files.createDirectories(file.getParent());
        Files.write(file, LambdaFunctionTest.handlerZip("tick"));
    }

    @AfterAll
    static void stopMoto() {
        for (AutoCloseable client : new AutoCloseable[] {sqs, kinesis, dynamodb, moto}) {
            try {
                if (client != null) {
                    client.close();
                }
            } catch (Exception e) {
                // Closing a test client: nothing to report.
            }
        }
    }

    @BeforeEach
    void freshAccount() {
        moto.reset();
        role = moto.createLambdaRole("lambda");
        platform = new AwsLambdaPlatform(aws, new FileArtifactStore(artifacts), FunctionUrlAuth.AWS_IAM, "moto");
        live = List.of();
        version = 1;
    }

    @Test
    void aScheduleBecomesARuleTargetingLiveWithAPermissionAndGoesWhenTheFormationDropsIt() {
        goLive(function("tick", FIVE_MINUTES, NOON));

        String fiveMinutes = EventRuleName.of("clock-tick", FIVE_MINUTES);
        String noon = EventRuleName.of("clock-tick", NOON);
        assertEquals(Set.of(fiveMinutes, noon), rules());
        assertEquals("rate(5 minutes)", rule(fiveMinutes).scheduleExpression());
        assertEquals("cron(0 12 * * ? *)", rule(noon).scheduleExpression());
        assertEquals("ENABLED", rule(fiveMinutes).stateAsString());
        List<Target> targets = events.listTargetsByRule(list -> list.rule(fiveMinutes)).targets();
        assertEquals(List.of(liveArn("clock-tick")), targets.stream().map(Target::arn).toList());
        String policy = policy("clock-tick");
        assertTrue(policy.contains("events.amazonaws.com") && policy.contains(rule(fiveMinutes).arn())
                && policy.contains(rule(noon).arn()), policy);

        goLive(function("tick", NOON));

        assertEquals(Set.of(noon), rules(), "the dropped schedule's rule is deleted");
        assertTrue(!policy("clock-tick").contains(rule(noon).arn().replace(noon, fiveMinutes)),
                "and its permission taken away: " + policy("clock-tick"));
    }

    @Test
    void aQueueAStreamAndATableStreamBecomeMappingsOnLiveAndABatchSizeChangeUpdatesTheMapping() {
        String queue = sqs.getQueueAttributes(get -> get.queueUrl(sqs.createQueue(create -> create.queueName("jobs"))
                .queueUrl()).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        kinesis.createStream(create -> create.streamName("clicks").shardCount(1));
        String stream = kinesis.describeStreamSummary(get -> get.streamName("clicks")).streamDescriptionSummary().streamARN();
        String table = dynamodb.createTable(create -> create.tableName("orders")
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .streamSpecification(spec -> spec.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)))
                .tableDescription().latestStreamArn();

        goLive(function("tick", "sqs:" + queue + "?batch_size=5", "kinesis:" + stream,
                "dynamodb:" + table + "?starting_position=TRIM_HORIZON"));

        Map<String, EventSourceMappingConfiguration> mappings = mappings("clock-tick");
        assertEquals(Set.of(queue, stream, table), mappings.keySet());
        assertEquals(5, mappings.get(queue).batchSize());
        assertEquals(100, mappings.get(stream).batchSize(), "Lambda's default for a stream");
        assertEquals("LATEST", mappings.get(stream).startingPositionAsString(), "a stream is read from its end by default");
        assertEquals("TRIM_HORIZON", mappings.get(table).startingPositionAsString());
        String queueMapping = mappings.get(queue).uuid();

        goLive(function("tick", "sqs:" + queue + "?batch_size=7", "kinesis:" + stream));

        Map<String, EventSourceMappingConfiguration> after = mappings("clock-tick");
        assertEquals(Set.of(queue, stream), after.keySet(), "the table's mapping is deleted");
        assertEquals(queueMapping, after.get(queue).uuid(), "the queue keeps its one mapping");
        assertEquals(7, after.get(queue).batchSize());

        goLive(function("tick"));
        assertEquals(Map.of(), mappings("clock-tick"), "clearing the sources deletes every mapping");
    }

    @Test
    void aBucketNotifiesLiveOfCreatedObjectsUnderItsPrefixAndKeepsTheBucketsOtherNotifications() {
        s3.createBucket(create -> create.bucket("uploads"));
        s3.putBucketNotificationConfiguration(put -> put.bucket("uploads").notificationConfiguration(config -> config
                .lambdaFunctionConfigurations(LambdaFunctionConfiguration.builder().id("someone-elses")
                        .lambdaFunctionArn("arn:aws:lambda:us-east-1:" + MotoServer.ACCOUNT + ":function:other")
                        .eventsWithStrings("s3:ObjectRemoved:*").build())));

        goLive(function("tick", "s3:uploads/in/"));

        List<LambdaFunctionConfiguration> notifications = notifications("uploads").lambdaFunctionConfigurations();
        assertEquals(2, notifications.size(), notifications.toString());
        LambdaFunctionConfiguration ours = notifications.stream().filter(n -> !n.id().equals("someone-elses"))
                .findFirst().orElseThrow();
        assertEquals(liveArn("clock-tick"), ours.lambdaFunctionArn());
        assertEquals(List.of("s3:ObjectCreated:*"), ours.eventsAsStrings());
        assertEquals("in/", ours.filter().key().filterRules().get(0).value());
        String policy = policy("clock-tick");
        assertTrue(policy.contains("s3.amazonaws.com") && policy.contains("arn:aws:s3:::uploads"), policy);

        goLive(function("tick"));

        assertEquals(List.of("someone-elses"), notifications("uploads").lambdaFunctionConfigurations().stream()
                .map(LambdaFunctionConfiguration::id).toList(), "only ours is taken away");
        assertTrue(!policy("clock-tick").contains("s3.amazonaws.com"), policy("clock-tick"));
    }

    @Test
    void aRollbackRestoresThePreviousSetOfSources() {
        goLive(function("tick", FIVE_MINUTES));
        List<FunctionSpec> before = live;
        goLive(function("tick", NOON));

        goLive(before);

        assertEquals(Set.of(EventRuleName.of("clock-tick", FIVE_MINUTES)), rules());
    }

    @Test
    void aFailedSwitchTakesAwayTheSourcesItAddedAndKeepsThePreviousOnes() {
        goLive(function("tick", FIVE_MINUTES));

        PreparedRollout prepared = platform.prepare(rollout(function("tick", FIVE_MINUTES, NOON)), line -> { });
        prepared.switchLive();
        assertEquals(2, rules().size(), "the switch added the new rule");
        prepared.switchBack();

        assertEquals(Set.of(EventRuleName.of("clock-tick", FIVE_MINUTES)), rules(), "the previous release's rule stays");
    }

    @Test
    void aNewFunctionsSourcesAppearOnlyAtTheSwitchAndGoWithItWhenTheSwitchFails() {
        PreparedRollout prepared = platform.prepare(rollout(function("tick", FIVE_MINUTES)), line -> { });
        assertEquals(Set.of(), rules(), "nothing before the switch: the function has no live alias yet");
        prepared.switchLive();
        assertEquals(1, rules().size());

        prepared.switchBack();

        assertEquals(Set.of(), rules());
    }

    @Test
    void aRemovedEntrysFunctionGoesWithItsRulesAndMappings() {
        String queue = sqs.getQueueAttributes(get -> get.queueUrl(sqs.createQueue(create -> create.queueName("work"))
                .queueUrl()).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        goLive(function("tick", FIVE_MINUTES), function("work", "sqs:" + queue));

        goLive(function("tick", FIVE_MINUTES));

        assertEquals(Set.of(EventRuleName.of("clock-tick", FIVE_MINUTES)), rules());
        assertEquals(Map.of(), mappings("clock-work"), "the removed entry's mapping is deleted with its function");
        assertTrue(lambda.listEventSourceMappings(list -> list.eventSourceArn(queue)).eventSourceMappings().isEmpty());
    }

    @Test
    void destroyingTheAppRemovesEveryRuleMappingAndNotificationOfItsFunctions() {
        s3.createBucket(create -> create.bucket("photos"));
        String queue = sqs.getQueueAttributes(get -> get.queueUrl(sqs.createQueue(create -> create.queueName("q"))
                .queueUrl()).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        goLive(function("tick", FIVE_MINUTES, "sqs:" + queue, "s3:photos"));

        platform.remove(List.of(new FunctionRef("clock-tick", REGION)));

        assertEquals(Set.of(), rules());
        assertTrue(lambda.listEventSourceMappings(list -> list.eventSourceArn(queue)).eventSourceMappings().isEmpty());
        assertEquals(List.of(), notifications("photos").lambdaFunctionConfigurations());
        assertTrue(new LambdaFunction(lambda, "clock-tick").current().isEmpty());
    }

    private void goLive(FunctionSpec... functions) {
        goLive(Arrays.asList(functions));
    }

    private void goLive(List<FunctionSpec> functions) {
        PreparedRollout prepared = platform.prepare(rollout(functions), line -> { });
        prepared.switchLive();
        prepared.finish();
        live = functions;
        version++;
    }

    private Rollout rollout(FunctionSpec... functions) {
        return rollout(Arrays.asList(functions));
    }

    private Rollout rollout(List<FunctionSpec> functions) {
        return new Rollout(1, "clock", Optional.of(role), version + 1, functions, live);
    }

    private static FunctionSpec function(String entry, String... sources) {
        return new FunctionSpec(1, "clock-" + entry, "app.handler", "python3.13", 256, 30, CODE, 1, REGION, Map.of(),
                OptionalInt.empty(), List.of(sources));
    }

    private static Set<String> rules() {
        return events.listRules(list -> list.namePrefix("clock-")).rules().stream().map(Rule::name)
                .collect(Collectors.toSet());
    }

    private static software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse rule(String name) {
        return events.describeRule(describe -> describe.name(name));
    }

    private static Map<String, EventSourceMappingConfiguration> mappings(String function) {
        List<EventSourceMappingConfiguration> all = new ArrayList<>(lambda.listEventSourceMappings(list -> list
                .functionName(function + ":live")).eventSourceMappings());
        return all.stream().collect(Collectors.toMap(EventSourceMappingConfiguration::eventSourceArn, m -> m));
    }

    private static String liveArn(String function) {
        return "arn:aws:lambda:" + REGION + ":" + MotoServer.ACCOUNT + ":function:" + function + ":live";
    }

    /** The live alias's policy; empty when its last statement was taken away (Lambda then has none). */
    private static String policy(String function) {
        try {
            return lambda.getPolicy(get -> get.functionName(function).qualifier("live")).policy();
        } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException e) {
            return "";
        }
    }

    private static GetBucketNotificationConfigurationResponse notifications(String bucket) {
        return s3.getBucketNotificationConfiguration(get -> get.bucket(bucket));
    }
}
