package dev.laambda.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.LaambdaException;
import dev.laambda.platform.FunctionPlatform;
import dev.laambda.platform.FunctionRef;
import dev.laambda.platform.Platforms;
import dev.laambda.release.Apps;
import dev.laambda.release.Formation;
import dev.laambda.release.Releases;
import dev.laambda.store.App;
import dev.laambda.store.Release;
import dev.laambda.store.User;
import io.javalin.http.Context;

/** /api/v1/apps/{app}/formation: each Procfile entry's function and its memory, timeout and reserved concurrency. */
final class FormationApi {

    private final Apps apps;
    private final Releases releases;
    private final Platforms platforms;
    private final ObjectMapper json;

    FormationApi(Apps apps, Releases releases, Platforms platforms, ObjectMapper json) {
        this.apps = apps;
        this.releases = releases;
        this.platforms = platforms;
        this.json = json;
    }

    /** The functions of the current release, each with its state and instances on the platform now. */
    void list(Context ctx) {
        App app = app(ctx);
        FunctionPlatform platform = platforms.of(app.platform());
        ctx.json(Views.EntryView.of(releases.formation(app).entries()).stream()
                .map(entry -> entry.withStatus(platform.status(new FunctionRef(entry.functionName(), app.region()))))
                .toList());
    }

    /**
     * One change per call, each a resources release: {@code memory_mb}, {@code timeout_s} or
     * {@code reserved_concurrency} (null clears it).
     */
    void update(Context ctx) {
        App app = app(ctx);
        User user = Caller.of(ctx);
        String entry = ctx.pathParam("entry");
        JsonBody body = JsonBody.of(ctx, json);
        long fields = java.util.stream.Stream.of("memory_mb", "timeout_s", "reserved_concurrency").filter(body::has).count();
        if (fields != 1) {
            throw LaambdaException.invalid("invalid_request",
                    "Send exactly one of memory_mb, timeout_s or reserved_concurrency (null clears it).");
        }
        Release release;
        if (body.has("reserved_concurrency")) {
            Integer concurrency = body.optionalInt("reserved_concurrency");
            release = concurrency == null ? releases.clearReservedConcurrency(app, user, entry)
                    : releases.setReservedConcurrency(app, user, entry, concurrency);
        } else {
            Integer memory = body.optionalInt("memory_mb");
            Integer timeout = body.optionalInt("timeout_s");
            if (memory == null && timeout == null) {
                throw LaambdaException.invalid("invalid_request", "memory_mb and timeout_s must be whole numbers, not null.");
            }
            release = memory != null ? releases.setMemory(app, user, entry, memory)
                    : releases.setTimeout(app, user, entry, timeout);
        }
        Formation formation = Formation.fromJson(release.formationJson());
        Views.EntryView changed = Views.EntryView.of(formation.entries()).stream()
                .filter(e -> e.entry().equals(entry)).findFirst().orElseThrow();
        ctx.json(new Views.ReleasedEntry(Views.ReleaseView.ofNew(release), changed));
    }

    private App app(Context ctx) {
        return apps.get(Caller.of(ctx), ctx.pathParam("app"));
    }
}
