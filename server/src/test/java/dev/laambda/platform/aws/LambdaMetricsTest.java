package dev.laambda.platform.aws;

import dev.laambda.metrics.FunctionReport;
import dev.laambda.testing.LocalStackServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An AWS app's metrics come from CloudWatch's AWS/Lambda namespace: LocalStack's CloudWatch stands in for it (the
 * SDK's client speaks Smithy RPC v2 CBOR, which moto does not serve), seeded with PutMetricData as Lambda would publish.
 */
class LambdaMetricsTest {

    @Test
    void cloudWatchsLambdaMetricsBecomeTheSameReportAsLocalOnesPerMinuteAndInTotal() {
        try (LocalStackServer localStack = LocalStackServer.start();
             AwsClients aws = new AwsClients(Optional.of(localStack.endpoint()), localStack.credentials(), 1)) {
            CloudWatchClient cloudWatch = aws.cloudWatch("us-east-1");
            Instant now = Instant.now();
            Instant earlier = now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(3)).plusSeconds(10);
            Instant later = earlier.plus(Duration.ofMinutes(1));
            put(cloudWatch, "demo-web", "Invocations", earlier, 3, StandardUnit.COUNT);
            put(cloudWatch, "demo-web", "Invocations", later, 2, StandardUnit.COUNT);
            put(cloudWatch, "demo-web", "Errors", later, 1, StandardUnit.COUNT);
            put(cloudWatch, "demo-web", "Throttles", later, 4, StandardUnit.COUNT);
            put(cloudWatch, "demo-web", "Duration", earlier, 120.5, StandardUnit.MILLISECONDS);
            put(cloudWatch, "demo-web", "ConcurrentExecutions", later, 2, StandardUnit.COUNT);
            put(cloudWatch, "other-fn", "Invocations", later, 50, StandardUnit.COUNT);

            Map<String, String> functions = new LinkedHashMap<>();
            functions.put("web", "demo-web");
            functions.put("idle", "demo-idle");
            List<FunctionReport> reports = new LambdaMetrics(cloudWatch).read(functions, now.minus(Duration.ofHours(1)), now);

            assertEquals(2, reports.size());
            FunctionReport web = reports.get(0);
            assertEquals("web", web.entry());
            assertEquals("demo-web", web.functionName());
            assertEquals(5, web.totals().invocations(), "another function's datapoints are not counted: " + web);
            assertEquals(1, web.totals().errors());
            assertEquals(4, web.totals().throttles());
            assertEquals(120.5, web.totals().durationMs().max());
            assertEquals(2, web.totals().peakConcurrency());
            assertNull(web.totals().coldStarts(), "Lambda publishes no cold-start metric");
            assertNull(web.totals().timeouts());
            assertNull(web.totals().billedGbSeconds());

            assertEquals(2, web.minutes().size(), web.minutes().toString());
            FunctionReport.Minute first = web.minutes().get(0);
            assertEquals(earlier.truncatedTo(ChronoUnit.MINUTES), first.minute().truncatedTo(ChronoUnit.MINUTES));
            assertEquals(3, first.invocations());
            assertEquals(120.5, first.durationMs().max());
            assertEquals(2, web.minutes().get(1).invocations());
            assertEquals(1, web.minutes().get(1).errors());

            FunctionReport idle = reports.get(1);
            assertEquals(0, idle.totals().invocations());
            assertTrue(idle.minutes().isEmpty());
        }
    }

    private static void put(CloudWatchClient cloudWatch, String function, String metric, Instant at, double value,
                            StandardUnit unit) {
        cloudWatch.putMetricData(request -> request.namespace("AWS/Lambda").metricData(MetricDatum.builder()
                .metricName(metric).dimensions(Dimension.builder().name("FunctionName").value(function).build())
                .timestamp(at).value(value).unit(unit).build()));
    }
}
