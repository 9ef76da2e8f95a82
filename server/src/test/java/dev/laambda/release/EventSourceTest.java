package dev.laambda.release;

import dev.laambda.LaambdaException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of event source parses to its canonical form, and every bad one is refused in one line. */
class EventSourceTest {

    private static final String REGION = "eu-west-1";
    private static final String QUEUE = "arn:aws:sqs:eu-west-1:123456789012:orders";
    private static final String STREAM = "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks";
    private static final String TABLE_STREAM = "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2024-01-01T00:00:00.000";

    private static EventSource parse(String text) {
        return EventSource.parse(text, EventSource.Options.NONE, REGION);
    }

    private static String refusal(String text) {
        return refusal(text, EventSource.Options.NONE);
    }

    private static String refusal(String text, EventSource.Options options) {
        LaambdaException refused = assertThrows(LaambdaException.class, () -> EventSource.parse(text, options, REGION));
        assertEquals("invalid_event_source", refused.code());
        assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
        return refused.getMessage();
    }

    @Test
    void ratesUseEventBridgesSingularForOneAndPluralOtherwise() {
        assertEquals("schedule:rate(5 minutes)", parse("schedule:rate(5 minutes)").canonical());
        assertEquals("schedule:rate(1 minute)", parse("schedule:rate( 1  minute )").canonical());
        assertEquals("schedule:rate(2 hours)", parse("schedule:rate(2 hours)").canonical());
        assertEquals("schedule:rate(1 day)", parse("schedule:rate(1 day)").canonical());
        assertTrue(parse("schedule:rate(1 minute)").runsLocally());

        assertTrue(refusal("schedule:rate(5 minute)").contains("Write rate(5 minutes)"));
        assertTrue(refusal("schedule:rate(1 days)").contains("Write rate(1 day)"));
        assertTrue(refusal("schedule:rate(0 minutes)").contains("whole number above 0"));
        assertTrue(refusal("schedule:rate(5 weeks)").contains("minute(s), hour(s) or day(s)"));
        assertTrue(refusal("schedule:every 5 minutes").contains("does not parse"));
    }

    @Test
    void cronHasSixFieldsWithAQuestionMarkInExactlyOneDayField() {
        assertEquals("schedule:cron(0 12 * * ? *)", parse("schedule:cron(0  12 * * ? *)").canonical());
        assertEquals("schedule:cron(0/15 8-17 ? * MON-FRI *)", parse("schedule:cron(0/15 8-17 ? * mon-fri *)").canonical());
        parse("schedule:cron(0 9 L * ? 2030)");
        parse("schedule:cron(0 9 15W * ? *)");
        parse("schedule:cron(0 9 ? * 6L *)");
        parse("schedule:cron(0 9 ? * 3#2 *)");
        parse("schedule:cron(5,35 */2 1 JAN,JUL ? *)");

        assertTrue(refusal("schedule:cron(0 12 * * *)").contains("has 5 fields; EventBridge's cron has 6"));
        assertTrue(refusal("schedule:cron(0 12 * * ? * *)").contains("has 7 fields"));
        assertTrue(refusal("schedule:cron(0 12 * * * *)").contains("? in exactly one of day-of-month and day-of-week"));
        assertTrue(refusal("schedule:cron(0 12 ? * ? *)").contains("? in exactly one"));
        assertTrue(refusal("schedule:cron(60 12 * * ? *)").contains("minutes field '60' is not valid: use 0-59"));
        assertTrue(refusal("schedule:cron(0 24 * * ? *)").contains("hours field"));
        assertTrue(refusal("schedule:cron(0 12 32 * ? *)").contains("day-of-month field"));
        assertTrue(refusal("schedule:cron(0 12 * 13 ? *)").contains("month field"));
        assertTrue(refusal("schedule:cron(0 12 ? * FUNDAY *)").contains("day-of-week field"));
        assertTrue(refusal("schedule:cron(0 12 * * ? 1969)").contains("year field"));
        assertTrue(refusal("schedule:cron(0 12 ? * 2#6 *)").contains("day-of-week field"));
        assertTrue(refusal("schedule:cron(0 ? * * ? *)").contains("hours field"));
    }

    @Test
    void schedulesFireOnTheMinutesTheyName() {
        ScheduleExpression everyFive = ((EventSource.Schedule) parse("schedule:rate(5 minutes)")).expression();
        assertTrue(everyFive.firesAt(Instant.parse("2030-01-01T10:05:00Z")));
        assertFalse(everyFive.firesAt(Instant.parse("2030-01-01T10:06:00Z")));
        ScheduleExpression noon = ((EventSource.Schedule) parse("schedule:cron(0 12 * * ? *)")).expression();
        assertTrue(noon.firesAt(Instant.parse("2030-01-01T12:00:00Z")));
        assertFalse(noon.firesAt(Instant.parse("2030-01-01T12:01:00Z")));
        ScheduleExpression weekdays = ((EventSource.Schedule) parse("schedule:cron(0 9 ? * MON-FRI *)")).expression();
        assertTrue(weekdays.firesAt(Instant.parse("2030-01-07T09:00:00Z")), "a Monday");
        assertFalse(weekdays.firesAt(Instant.parse("2030-01-06T09:00:00Z")), "a Sunday");
        ScheduleExpression lastDay = ((EventSource.Schedule) parse("schedule:cron(0 0 L * ? *)")).expression();
        assertTrue(lastDay.firesAt(Instant.parse("2028-02-29T00:00:00Z")));
        assertFalse(lastDay.firesAt(Instant.parse("2028-02-28T00:00:00Z")));
        ScheduleExpression secondTuesday = ((EventSource.Schedule) parse("schedule:cron(0 0 ? * 3#2 *)")).expression();
        assertTrue(secondTuesday.firesAt(Instant.parse("2030-01-08T00:00:00Z")));
        assertFalse(secondTuesday.firesAt(Instant.parse("2030-01-01T00:00:00Z")));
    }

    @Test
    void queuesAndStreamsTakeTheirOwnServicesArnsInTheAppsRegionWithOptions() {
        assertEquals("sqs:" + QUEUE, parse("sqs:" + QUEUE).canonical());
        assertFalse(parse("sqs:" + QUEUE).runsLocally());
        assertEquals("sqs:" + QUEUE + "?batch_size=5",
                EventSource.parse("sqs:" + QUEUE, new EventSource.Options(5, null), REGION).canonical());
        assertEquals("kinesis:" + STREAM + "?batch_size=100&starting_position=TRIM_HORIZON",
                EventSource.parse("kinesis:" + STREAM, new EventSource.Options(100, "trim_horizon"), REGION).canonical());
        EventSource stored = EventSource.parse("dynamodb:" + TABLE_STREAM + "?starting_position=LATEST");
        assertEquals("dynamodb:" + TABLE_STREAM + "?starting_position=LATEST", stored.canonical());
        assertEquals("dynamodb:" + TABLE_STREAM, stored.identity());

        assertTrue(refusal("sqs:" + STREAM).contains("is an ARN of kinesis, not sqs"));
        assertTrue(refusal("kinesis:" + QUEUE).contains("is an ARN of sqs, not kinesis"));
        assertTrue(refusal("dynamodb:arn:aws:dynamodb:eu-west-1:123456789012:table/Orders")
                .contains("is not a dynamodb ARN"));
        assertTrue(refusal("sqs:arn:aws:sqs:us-east-1:123456789012:orders")
                .contains("is in region us-east-1, but the app runs in eu-west-1"));
        assertTrue(refusal("sqs:orders").contains("is not a sqs ARN"));
        assertTrue(refusal("kinesis:" + STREAM, new EventSource.Options(0, null)).contains("batch_size must be from 1"));
        assertTrue(refusal("kinesis:" + STREAM, new EventSource.Options(null, "AT_TIMESTAMP"))
                .contains("LATEST or TRIM_HORIZON"));
        assertTrue(refusal("sqs:" + QUEUE, new EventSource.Options(null, "LATEST"))
                .contains("starting_position applies to kinesis and dynamodb"));
        assertTrue(refusal("sqs:" + QUEUE + "?batch_size=2", new EventSource.Options(3, null)).contains("given twice"));
        assertTrue(refusal("sqs:" + QUEUE + "?size=2").contains("options that do not parse"));
    }

    @Test
    void bucketsFollowS3sNamingRules() {
        assertEquals("s3:uploads-2024", parse("s3:uploads-2024").canonical());
        assertEquals("s3:my.bucket/incoming/", parse("s3:my.bucket/incoming/").canonical());
        assertTrue(refusal("s3:uploads", new EventSource.Options(10, null)).contains("batch_size applies to sqs"));

        for (String bad : new String[]{"s3:Uploads", "s3:ab", "s3:-uploads", "s3:uploads-", "s3:my..bucket",
                "s3:192.168.1.1", "s3:xn--bucket", "s3:bucket-s3alias", "s3:under_score", "s3:" + "a".repeat(64)}) {
            assertTrue(refusal(bad).contains("is not an S3 bucket name"), bad);
        }
        assertTrue(refusal("s3:uploads/").contains("key prefix"));
    }

    @Test
    void unknownKindsAndEmptyTextAreRefused() {
        assertTrue(refusal("sns:arn:aws:sns:eu-west-1:123456789012:topic").contains("Unknown event source kind 'sns'"));
        assertTrue(refusal("").contains("does not parse"));
        assertTrue(refusal("schedule").contains("does not parse"));
    }

    @Test
    void scheduleRulesAreNamedForTheFunctionWithinEventBridgesLimit() {
        EventSource.Schedule schedule = (EventSource.Schedule) parse("schedule:rate(5 minutes)");
        assertTrue(schedule.ruleName("shop-worker").matches("shop-worker-[0-9a-f]{8}"));
        assertTrue(schedule.ruleName("x".repeat(80)).length() <= 64);
    }
}
