package dev.laambda.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.account.Accounts;
import io.javalin.http.Context;

/** /api/v1/user and /api/v1/users: who am I, and (admins) who else. */
final class UsersApi {

    private final Accounts accounts;
    private final ObjectMapper json;

    UsersApi(Accounts accounts, ObjectMapper json) {
        this.accounts = accounts;
        this.json = json;
    }

    void whoami(Context ctx) {
        ctx.json(Views.UserView.of(Caller.of(ctx)));
    }

    void list(Context ctx) {
        ctx.json(accounts.listUsers(Caller.of(ctx)).stream().map(Views.UserView::of).toList());
    }

    void create(Context ctx) {
        JsonBody body = JsonBody.of(ctx, json);
        Accounts.NewUser created = accounts.createUser(Caller.of(ctx), body.requiredText("email"),
                body.optionalBoolean("is_admin", false));
        ctx.status(201).json(new Views.NewUserView(Views.UserView.of(created.user()), created.token().secret()));
    }
}
