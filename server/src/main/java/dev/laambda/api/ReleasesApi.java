package dev.laambda.api;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;
import dev.laambda.release.Apps;
import dev.laambda.release.Formation;
import dev.laambda.release.Releases;
import dev.laambda.store.App;
import dev.laambda.store.Release;
import io.javalin.http.Context;

import java.util.List;

/** /api/v1/apps/{app}/releases: history, one release, and rollback. */
final class ReleasesApi {

    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;

    private final Apps apps;
    private final Releases releases;

    ReleasesApi(Apps apps, Releases releases) {
        this.apps = apps;
        this.releases = releases;
    }

    void list(Context ctx) {
        App app = app(ctx);
        int limit = intQuery(ctx, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw LaambdaException.invalid("invalid_request", "limit must be between 1 and " + MAX_LIMIT + " (got " + limit + ").");
        }
        Integer before = ctx.queryParam("before") == null ? null : version(ctx.queryParam("before"));
        ctx.json(releases.list(app, limit, before).stream().map(r -> Views.ReleaseView.of(r, app)).toList());
    }

    void info(Context ctx) {
        App app = app(ctx);
        Release release = releases.find(app, version(ctx.pathParam("version")));
        List<String> configKeys = List.copyOf(releases.config(release).values().keySet());
        ctx.json(Views.ReleaseView.of(release, app)
                .withDetail(Views.EntryView.of(Formation.fromJson(release.formationJson()).entries()), configKeys));
    }

    void rollback(Context ctx) {
        App app = app(ctx);
        Release release = releases.rollback(app, Caller.of(ctx), version(ctx.pathParam("version")));
        ctx.status(201).json(Views.ReleaseView.ofNew(release));
    }

    /** Accepts "3" and "v3". */
    static int version(String text) {
        String digits = text.startsWith("v") || text.startsWith("V") ? text.substring(1) : text;
        try {
            int version = Integer.parseInt(digits);
            if (version < 1) {
                throw new NumberFormatException();
            }
            return version;
        } catch (NumberFormatException e) {
            throw LaambdaException.invalid("invalid_version", "'" + Echo.of(text)
                    + "' is not a release version like v3.");
        }
    }

    private static int intQuery(Context ctx, String name, int fallback) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw LaambdaException.invalid("invalid_request", name + " must be a whole number.");
        }
    }

    private App app(Context ctx) {
        return apps.get(Caller.of(ctx), ctx.pathParam("app"));
    }
}
