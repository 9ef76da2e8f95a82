package dev.laambda.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.LaambdaException;
import dev.laambda.platform.PlatformKind;
import dev.laambda.release.Apps;
import dev.laambda.release.EventSource;
import dev.laambda.release.Formation;
import dev.laambda.release.Releases;
import dev.laambda.store.App;
import dev.laambda.store.Release;
import io.javalin.http.Context;

import java.util.List;

/**
 * /api/v1/apps/{app}/functions/{entry}/event-sources: the schedules, queues, streams and buckets that invoke an entry's
 * function. Each change is an event_sources release, so a rollback restores the previous set.
 */
final class EventSourcesApi {

    static final String NOT_LOCAL = "not supported on the local platform";

    /** One source; {@code note} says when the app's platform does not run it. */
    record EventSourceView(String source, String kind,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Integer batchSize,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String startingPosition,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String note) {
        static EventSourceView of(EventSource source, PlatformKind platform) {
            Integer batchSize = source instanceof EventSource.Sqs sqs ? sqs.batchSize()
                    : source instanceof EventSource.Stream stream ? stream.batchSize() : null;
            String position = source instanceof EventSource.Stream stream ? stream.startingPosition() : null;
            return new EventSourceView(source.canonical(), source.kind(), batchSize, position,
                    platform == PlatformKind.LOCAL && !source.runsLocally() ? NOT_LOCAL : null);
        }
    }

    record ReleasedEventSources(Views.ReleaseView release, List<EventSourceView> eventSources) {
    }

    private final Apps apps;
    private final Releases releases;
    private final ObjectMapper json;

    EventSourcesApi(Apps apps, Releases releases, ObjectMapper json) {
        this.apps = apps;
        this.releases = releases;
        this.json = json;
    }

    void list(Context ctx) {
        App app = app(ctx);
        ctx.json(releases.eventSources(app, ctx.pathParam("entry")).stream()
                .map(source -> EventSourceView.of(source, app.platform())).toList());
    }

    /** Body {@code {"source": "...", "batch_size": N, "starting_position": "LATEST"}}, the options optional. */
    void add(Context ctx) {
        App app = app(ctx);
        JsonBody body = JsonBody.of(ctx, json);
        EventSource.Options options = new EventSource.Options(body.optionalInt("batch_size"),
                body.optionalText("starting_position"));
        Release release = releases.addEventSource(app, Caller.of(ctx), ctx.pathParam("entry"), body.requiredText("source"),
                options);
        ctx.status(201).json(answer(app, release, ctx.pathParam("entry")));
    }

    /** {@code ?source=SOURCE} removes that one, {@code ?all=true} every one. */
    void remove(Context ctx) {
        App app = app(ctx);
        String source = ctx.queryParam("source");
        boolean all = "true".equals(ctx.queryParam("all"));
        if ((source == null || source.isBlank()) == !all) {
            throw LaambdaException.invalid("invalid_request",
                    "Give either ?source=SOURCE to remove one event source or ?all=true to remove them all.");
        }
        String entry = ctx.pathParam("entry");
        Release release = all ? releases.clearEventSources(app, Caller.of(ctx), entry)
                : releases.removeEventSource(app, Caller.of(ctx), entry, source);
        ctx.json(answer(app, release, entry));
    }

    private static ReleasedEventSources answer(App app, Release release, String entry) {
        List<EventSourceView> sources = Formation.fromJson(release.formationJson()).entry(entry).eventSources().stream()
                .map(EventSource::parse).map(source -> EventSourceView.of(source, app.platform())).toList();
        return new ReleasedEventSources(Views.ReleaseView.ofNew(release), sources);
    }

    private App app(Context ctx) {
        return apps.get(Caller.of(ctx), ctx.pathParam("app"));
    }
}
