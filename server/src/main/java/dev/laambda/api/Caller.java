package dev.laambda.api;

import dev.laambda.store.User;
import io.javalin.http.Context;

/** The authenticated user of a request, set by the auth filter before any handler runs. */
final class Caller {

    private static final String ATTRIBUTE = "laambda.user";

    private Caller() {
    }

    static void set(Context ctx, User user) {
        ctx.attribute(ATTRIBUTE, user);
    }

    static User of(Context ctx) {
        User user = ctx.attribute(ATTRIBUTE);
        if (user == null) {
            throw new IllegalStateException("Route reached without authentication: " + ctx.method() + " " + ctx.path());
        }
        return user;
    }
}
