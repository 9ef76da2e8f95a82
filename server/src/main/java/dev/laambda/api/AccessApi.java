package dev.laambda.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.release.Apps;
import io.javalin.http.Context;

/** /api/v1/apps/{app}/collaborators: who besides the owner may work on an app. */
final class AccessApi {

    private final Apps apps;
    private final ObjectMapper json;

    AccessApi(Apps apps, ObjectMapper json) {
        this.apps = apps;
        this.json = json;
    }

    void list(Context ctx) {
        ctx.json(apps.collaborators(Caller.of(ctx), ctx.pathParam("app")));
    }

    void add(Context ctx) {
        String email = JsonBody.of(ctx, json).requiredText("email");
        ctx.status(201).json(apps.addCollaborator(Caller.of(ctx), ctx.pathParam("app"), email));
    }

    void remove(Context ctx) {
        ctx.json(apps.removeCollaborator(Caller.of(ctx), ctx.pathParam("app"), ctx.pathParam("email")));
    }
}
