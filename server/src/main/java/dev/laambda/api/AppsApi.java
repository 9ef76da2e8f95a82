package dev.laambda.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.release.Apps;
import io.javalin.http.Context;

/** /api/v1/apps: create, list, show and destroy apps. */
final class AppsApi {

    private final Apps apps;
    private final ObjectMapper json;

    AppsApi(Apps apps, ObjectMapper json) {
        this.apps = apps;
        this.json = json;
    }

    void list(Context ctx) {
        ctx.json(apps.list(Caller.of(ctx)).stream().map(Views.AppView::of).toList());
    }

    void create(Context ctx) {
        JsonBody body = JsonBody.of(ctx, json);
        ctx.status(201).json(Views.AppView.of(apps.create(Caller.of(ctx), body.requiredText("name"),
                body.optionalText("region"), body.optionalText("role_arn"), body.optionalText("runtime"))));
    }

    void info(Context ctx) {
        ctx.json(Views.AppView.of(apps.get(Caller.of(ctx), ctx.pathParam("app"))));
    }

    void destroy(Context ctx) {
        String name = ctx.pathParam("app");
        apps.destroy(Caller.of(ctx), name, ctx.queryParam("confirm"));
        ctx.json(new Views.DestroyedApp(name, true));
    }
}
