package dev.laambda.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.release.Apps;
import dev.laambda.store.App;
import io.javalin.http.Context;

/** /api/v1/apps: create, list, show and destroy apps. */
final class AppsApi {

    private final Apps apps;
    private final GitUrls gitUrls;
    private final ObjectMapper json;

    AppsApi(Apps apps, GitUrls gitUrls, ObjectMapper json) {
        this.apps = apps;
        this.gitUrls = gitUrls;
        this.json = json;
    }

    void list(Context ctx) {
        ctx.json(apps.list(Caller.of(ctx)).stream().map(app -> view(app, ctx)).toList());
    }

    void create(Context ctx) {
        JsonBody body = JsonBody.of(ctx, json);
        ctx.status(201).json(view(apps.create(Caller.of(ctx), new Apps.NewApp(body.requiredText("name"),
                body.optionalText("platform"), body.optionalText("region"), body.optionalText("role_arn"),
                body.optionalText("runtime"))), ctx));
    }

    void info(Context ctx) {
        ctx.json(view(apps.get(Caller.of(ctx), ctx.pathParam("app")), ctx));
    }

    private Views.AppView view(App app, Context ctx) {
        return Views.AppView.of(app, gitUrls.forApp(app.name(), ctx));
    }

    void destroy(Context ctx) {
        String name = ctx.pathParam("app");
        apps.destroy(Caller.of(ctx), name, ctx.queryParam("confirm"));
        ctx.json(new Views.DestroyedApp(name, true));
    }
}
