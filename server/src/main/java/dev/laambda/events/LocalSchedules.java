package dev.laambda.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.BackgroundTasks;
import dev.laambda.LaambdaException;
import dev.laambda.logs.AppLog;
import dev.laambda.platform.PlatformKind;
import dev.laambda.release.EventSource;
import dev.laambda.release.Formation;
import dev.laambda.release.FormationEntry;
import dev.laambda.release.Invoker;
import dev.laambda.store.App;
import dev.laambda.store.AppRepository;
import dev.laambda.store.EventSourceTickRepository;
import dev.laambda.store.Release;
import dev.laambda.store.ReleaseRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fires the {@code schedule:} event sources of local apps, as EventBridge does on AWS: at each minute that a schedule
 * matches, the function of the app's current release gets a Scheduled Event (an Event invocation). Every server
 * runs this; the tick's row in event_source_ticks goes to one of them, which fires. A minute when no server ran
 * is not fired later (nor does EventBridge replay one).
 */
public final class LocalSchedules implements AutoCloseable {

    /** The account in a local function's ARNs (platform/local/FunctionInstance). */
    static final String LOCAL_ACCOUNT = "000000000000";
    private static final Duration KEEP_TICKS = Duration.ofDays(1);
    private static final Logger log = LoggerFactory.getLogger(LocalSchedules.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AppRepository apps;
    private final ReleaseRepository releases;
    private final EventSourceTickRepository ticks;
    private final Invoker invoker;
    private final AppLog appLog;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "local-schedules");
        thread.setDaemon(true);
        return thread;
    });
    private Instant lastMinute;

    public LocalSchedules(AppRepository apps, ReleaseRepository releases, EventSourceTickRepository ticks, Invoker invoker,
                          AppLog appLog, Clock clock) {
        this.apps = apps;
        this.releases = releases;
        this.ticks = ticks;
        this.invoker = invoker;
        this.appLog = appLog;
        this.clock = clock;
    }

    /** Looks at the clock every second and fires each minute's ticks once, in the first second it sees that minute. */
    public LocalSchedules start() {
        timer.scheduleWithFixedDelay(this::poll, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    private void poll() {
        try {
            Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
            if (minute.equals(lastMinute)) {
                return;
            }
            lastMinute = minute;
            runDueTicks(minute);
            ticks.pruneBefore(minute.minus(KEEP_TICKS));
        } catch (RuntimeException e) {
            log.warn("event=schedules_failed error=\"{}\"", e.getMessage());
        }
    }

    /**
     * Fires every schedule of every local app's current release that matches the minute of {@code now}, where
     * this server wins the tick; returns how many this server fired.
     */
    public int runDueTicks(Instant now) {
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        int fired = 0;
        for (App app : apps.listOn(PlatformKind.LOCAL)) {
            Release current = releases.current(app.id()).orElse(null);
            if (current == null || current.artifactSha() == null) {
                continue;
            }
            for (Map.Entry<String, FormationEntry> entry : Formation.fromJson(current.formationJson()).entries().entrySet()) {
                for (String text : entry.getValue().eventSources()) {
                    if (EventSource.parse(text) instanceof EventSource.Schedule schedule
                            && schedule.expression().firesAt(minute)
                            && ticks.claim(app.id(), entry.getKey(), text, minute)) {
                        fire(app, entry.getKey(), entry.getValue(), schedule, minute);
                        fired++;
                    }
                }
            }
        }
        return fired;
    }

    private void fire(App app, String entry, FormationEntry function, EventSource.Schedule schedule, Instant tick) {
        log.info("event=schedule_fired app={} entry={} tick={}", app.name(), entry, tick);
        try {
            invoker.invokeAsync(app, entry, event(app, function, schedule, tick));
        } catch (LaambdaException e) {
            // Refused before it ran (no code, no such entry now): the developer reads why beside the function's lines.
            appLog.function(app.id(), entry, null, "Scheduled event at " + tick + " not delivered: " + e.getMessage());
        }
    }

    /** Lambda's scheduled event (EventBridge's "Scheduled Event" from aws.events), for the tick's time. */
    static byte[] event(App app, FormationEntry function, EventSource.Schedule schedule, Instant tick) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", LOCAL_ACCOUNT);
        event.put("time", tick.toString());
        event.put("region", app.region());
        event.put("resources", List.of("arn:aws:events:" + app.region() + ":" + LOCAL_ACCOUNT + ":rule/"
                + schedule.ruleName(function.functionName())));
        event.put("detail", Map.of());
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        BackgroundTasks.stop(timer);
    }
}
