package dev.laambda.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.LaambdaException;
import dev.laambda.release.Apps;
import dev.laambda.release.ConfigVars;
import dev.laambda.release.Releases;
import dev.laambda.store.App;
import dev.laambda.store.Release;
import io.javalin.http.Context;

/** /api/v1/apps/{app}/config: an app's environment; every change is a new release. */
final class ConfigApi {

    private final Apps apps;
    private final Releases releases;
    private final ObjectMapper json;

    ConfigApi(Apps apps, Releases releases, ObjectMapper json) {
        this.apps = apps;
        this.releases = releases;
        this.json = json;
    }

    void all(Context ctx) {
        ctx.json(releases.config(app(ctx)).values());
    }

    void one(Context ctx) {
        String key = ctx.pathParam("key");
        String value = releases.config(app(ctx)).values().get(key);
        if (value == null) {
            throw LaambdaException.notFound("config_var_not_found", "Config var '" + key + "' is not set.");
        }
        ctx.json(new Views.ConfigVarView(key, value));
    }

    void change(Context ctx) {
        App app = apps.getToRun(Caller.of(ctx), ctx.pathParam("app"));
        Release release = releases.changeConfig(app, Caller.of(ctx), JsonBody.of(ctx, json).stringsOrNulls());
        answer(ctx, release);
    }

    void clear(Context ctx) {
        App app = apps.getToRun(Caller.of(ctx), ctx.pathParam("app"));
        if (!app.name().equals(ctx.queryParam("confirm"))) {
            throw LaambdaException.invalid("confirmation_required",
                    "Clearing removes every config var of app '" + app.name() + "': confirm with confirm=" + app.name() + ".");
        }
        answer(ctx, releases.clearConfig(app, Caller.of(ctx)));
    }

    private void answer(Context ctx, Release release) {
        ConfigVars config = releases.config(release);
        ctx.json(new Views.ReleasedConfig(Views.ReleaseView.ofNew(release), config.values()));
    }

    private App app(Context ctx) {
        return apps.get(Caller.of(ctx), ctx.pathParam("app"));
    }
}
