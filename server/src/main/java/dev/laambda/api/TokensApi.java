package dev.laambda.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.LaambdaException;
import dev.laambda.account.Accounts;
import io.javalin.http.Context;

/** /api/v1/tokens: a user's own API tokens. */
final class TokensApi {

    private final Accounts accounts;
    private final ObjectMapper json;

    TokensApi(Accounts accounts, ObjectMapper json) {
        this.accounts = accounts;
        this.json = json;
    }

    void list(Context ctx) {
        ctx.json(accounts.tokens(Caller.of(ctx)).stream().map(Views.TokenView::of).toList());
    }

    void create(Context ctx) {
        String description = JsonBody.ofOptional(ctx, json).optionalText("description");
        Accounts.IssuedToken issued = accounts.issueToken(Caller.of(ctx), description);
        ctx.status(201).json(new Views.NewTokenView(issued.token().id(), issued.token().description(), issued.secret(),
                issued.token().createdAt()));
    }

    void revoke(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw LaambdaException.invalid("invalid_request", "Token id must be a number: see `laambda tokens`.");
        }
        ctx.json(Views.TokenView.of(accounts.revokeToken(Caller.of(ctx), id)));
    }
}
