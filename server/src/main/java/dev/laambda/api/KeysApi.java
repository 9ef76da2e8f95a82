package dev.laambda.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.LaambdaException;
import dev.laambda.account.SshKeys;
import io.javalin.http.Context;

/** /api/v1/keys: the caller's SSH public keys, used to authenticate git pushes. */
final class KeysApi {

    private final SshKeys keys;
    private final ObjectMapper json;

    KeysApi(SshKeys keys, ObjectMapper json) {
        this.keys = keys;
        this.json = json;
    }

    void list(Context ctx) {
        ctx.json(keys.list(Caller.of(ctx)).stream().map(Views.SshKeyView::of).toList());
    }

    void add(Context ctx) {
        JsonBody body = JsonBody.of(ctx, json);
        ctx.status(201).json(Views.SshKeyView.of(keys.add(Caller.of(ctx), body.requiredText("public_key"),
                body.optionalText("name"))));
    }

    void remove(Context ctx) {
        String fingerprint = ctx.queryParam("fingerprint");
        if (fingerprint == null || fingerprint.isBlank()) {
            throw LaambdaException.invalid("invalid_request", "Name the key to remove: ?fingerprint=SHA256:… (see `laambda keys`).");
        }
        ctx.json(Views.SshKeyView.of(keys.remove(Caller.of(ctx), fingerprint)));
    }
}
