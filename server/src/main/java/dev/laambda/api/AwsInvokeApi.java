package dev.laambda.api;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;
import dev.laambda.release.Apps;
import io.javalin.http.Context;

/**
 * AWS Lambda's Invoke operation, {@code POST /2015-03-31/functions/{FunctionName}/invocations}, so the AWS CLI
 * and SDKs pointed at Laambda ({@code --endpoint-url}) invoke its functions. The function name is Laambda's
 * APP-ENTRY, a full or partial ARN of it, or either with a qualifier; the access key id is a Laambda token.
 */
final class AwsInvokeApi {

    /** The version path every Lambda API operation of this generation lives under. */
    static final String PREFIX = "/2015-03-31";

    private final Apps apps;
    private final FunctionsApi functions;

    AwsInvokeApi(Apps apps, FunctionsApi functions) {
        this.apps = apps;
        this.functions = functions;
    }

    void invoke(Context ctx) {
        String name = ctx.pathParam("function");
        String qualifier = ctx.queryParam("Qualifier");
        // arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] or ACCOUNT:function:NAME[:QUALIFIER]
        int function = name.indexOf(":function:");
        if (function >= 0) {
            name = name.substring(function + ":function:".length());
        }
        int colon = name.indexOf(':');
        if (colon >= 0) {
            qualifier = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        if (qualifier != null && !qualifier.equals("$LATEST") && !qualifier.equals("live")) {
            throw LaambdaException.notFound("ResourceNotFoundException", "Function not found: qualifier '"
                    + Echo.of(qualifier) + "': Laambda runs the current release ($LATEST, alias live); "
                    + "use `laambda rollback` to run an older one.");
        }
        Apps.FunctionName target = apps.function(Caller.of(ctx), name);
        functions.respond(ctx, target.app(), target.entry());
    }
}
