package dev.laambda.api;

import dev.laambda.LaambdaException;
import dev.laambda.release.Apps;
import dev.laambda.release.Deployer;
import dev.laambda.store.App;
import dev.laambda.store.BuildRepository;
import io.javalin.http.Context;

/** /api/v1/apps/{app}/builds: every build of an app, and one build with its log. */
final class BuildsApi {

    private final Apps apps;
    private final BuildRepository builds;
    private final Deployer deployer;

    BuildsApi(Apps apps, BuildRepository builds, Deployer deployer) {
        this.apps = apps;
        this.builds = builds;
        this.deployer = deployer;
    }

    /** DELETE …/build-cache: the next push builds with cold caches. */
    void clearCache(Context ctx) {
        App app = apps.get(Caller.of(ctx), ctx.pathParam("app"));
        deployer.clearBuildCache(app, waiting -> { });
        ctx.json(java.util.Map.of("app", app.name(), "build_cache", "cleared"));
    }

    void list(Context ctx) {
        App app = apps.get(Caller.of(ctx), ctx.pathParam("app"));
        ctx.json(builds.list(app.id(), 50).stream().map(b -> Views.BuildView.of(b, false)).toList());
    }

    void info(Context ctx) {
        App app = apps.get(Caller.of(ctx), ctx.pathParam("app"));
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw LaambdaException.invalid("invalid_request", "Build id must be a number: see `laambda builds`.");
        }
        ctx.json(Views.BuildView.of(builds.find(app.id(), id).orElseThrow(() -> LaambdaException.notFound("build_not_found",
                "App '" + app.name() + "' has no build " + id + ": see `laambda builds`.")), true));
    }
}
