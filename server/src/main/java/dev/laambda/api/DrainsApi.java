package dev.laambda.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.drains.Drains;
import dev.laambda.store.Drain;
import io.javalin.http.Context;

import java.time.Instant;

/** /api/v1/apps/{app}/drains: where the app's log stream is forwarded (syslog+tls, syslog, https). */
public final class DrainsApi {

    /** A drain as the API shows it: {@code url} as added (it may hold a token), {@code shown} without secrets. */
    record DrainView(long id, String url, String shown, Instant createdAt) {
        static DrainView of(Drain drain) {
            return new DrainView(drain.id(), drain.url(), Drains.shown(drain), drain.createdAt());
        }
    }

    private final Drains drains;
    private final ObjectMapper json;

    public DrainsApi(Drains drains, ObjectMapper json) {
        this.drains = drains;
        this.json = json;
    }

    void list(Context ctx) {
        ctx.json(drains.list(Caller.of(ctx), ctx.pathParam("app")).stream().map(DrainView::of).toList());
    }

    void add(Context ctx) {
        String url = JsonBody.of(ctx, json).requiredText("url");
        ctx.status(201).json(DrainView.of(drains.add(Caller.of(ctx), ctx.pathParam("app"), url)));
    }

    void remove(Context ctx) {
        ctx.json(DrainView.of(drains.remove(Caller.of(ctx), ctx.pathParam("app"), ctx.pathParam("id"))));
    }
}
