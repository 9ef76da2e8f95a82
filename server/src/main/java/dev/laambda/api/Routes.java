package dev.laambda.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.account.Accounts;
import dev.laambda.account.SshKeys;
import dev.laambda.logs.AppLog;
import dev.laambda.logs.CloudWatchLogCopier;
import dev.laambda.logs.LogFeed;
import dev.laambda.store.BuildRepository;
import dev.laambda.store.LogLineRepository;
import dev.laambda.platform.Platforms;
import dev.laambda.release.Apps;
import dev.laambda.release.Deployer;
import dev.laambda.release.Invoker;
import dev.laambda.release.Releases;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every HTTP route of the server in one table; the OpenAPI document is generated from it. */
public final class Routes {

    public static final String API = "/api/v1";

    private final List<Route> routes = new ArrayList<>();
    private final Map<String, Object> openApiDocument;
    private final GatewayApi gateway;

    public Routes(Accounts accounts, SshKeys sshKeys, Apps apps, Releases releases, BuildRepository builds,
                  Invoker invoker, Platforms platforms, Deployer deployer, LogLineRepository logLines, LogFeed logFeed,
                  CloudWatchLogCopier cloudWatchLogs, AppLog appLog, MetricsApi metrics, PrometheusApi prometheus,
                  DrainsApi drains, Optional<String> gitHost, int sshPort,
                  ObjectMapper json, String version) {
        FunctionsApi functions = new FunctionsApi(apps, invoker, releases, platforms, json);
        AwsInvokeApi awsInvoke = new AwsInvokeApi(apps, functions);
        this.gateway = new GatewayApi(invoker, appLog);
        LogsApi logs = new LogsApi(apps, releases, logLines, logFeed, cloudWatchLogs, json);
        UsersApi users = new UsersApi(accounts, json);
        TokensApi tokens = new TokensApi(accounts, json);
        KeysApi keys = new KeysApi(sshKeys, json);
        BuildsApi buildsApi = new BuildsApi(apps, builds, deployer);
        AppsApi appsApi = new AppsApi(apps, new GitUrls(gitHost, sshPort), json);
        AccessApi access = new AccessApi(apps, json);
        ConfigApi config = new ConfigApi(apps, releases, json);
        FormationApi formation = new FormationApi(apps, releases, platforms, json);
        ReleasesApi releasesApi = new ReleasesApi(apps, releases);
        EventSourcesApi eventSources = new EventSourcesApi(apps, releases, json);

        add(HandlerType.GET, "/healthz", "Liveness check", "meta", false, null, 200,
                ctx -> ctx.json(Map.of("status", "ok")));
        add(HandlerType.GET, PrometheusApi.PATH, "Prometheus scrape, text format (Authorization: Bearer "
                + "LAAMBDA_METRICS_TOKEN; 404 when that is unset)", "meta", false, null, 200, prometheus::scrape);
        add(HandlerType.GET, API + "/openapi.json", "This OpenAPI document", "meta", true, null, 200,
                this::serveOpenApi);

        add(HandlerType.GET, API + "/user", "The caller (whoami)", "users", true, null, 200, users::whoami);
        add(HandlerType.GET, API + "/users", "List users (admin)", "users", true, null, 200, users::list);
        add(HandlerType.POST, API + "/users", "Create a user with a first token (admin)", "users", true,
                object(Map.of("email", string(), "is_admin", bool()), "email"), 201, users::create);

        add(HandlerType.GET, API + "/tokens", "List your API tokens", "tokens", true, null, 200, tokens::list);
        add(HandlerType.POST, API + "/tokens", "Create an API token (shown once)", "tokens", true,
                object(Map.of("description", string())), 201, tokens::create);
        add(HandlerType.DELETE, API + "/tokens/{id}", "Revoke one of your tokens", "tokens", true, null, 200, tokens::revoke);

        add(HandlerType.GET, API + "/keys", "List your SSH keys", "keys", true, null, 200, keys::list);
        add(HandlerType.POST, API + "/keys", "Add an SSH public key (OpenSSH format)", "keys", true,
                object(Map.of("public_key", string(), "name", string()), "public_key"), 201, keys::add);
        add(HandlerType.DELETE, API + "/keys", "Remove one of your SSH keys (query fingerprint=SHA256:…)", "keys", true,
                null, 200, keys::remove);

        add(HandlerType.GET, API + "/apps", "List your apps", "apps", true, null, 200, appsApi::list);
        add(HandlerType.POST, API + "/apps", "Create an app (release v1)", "apps", true,
                object(Map.of("name", string(), "platform", string(), "region", string(), "role_arn", string(),
                        "runtime", string()), "name"),
                201, appsApi::create);
        add(HandlerType.GET, API + "/apps/{app}", "Show an app", "apps", true, null, 200, appsApi::info);
        add(HandlerType.DELETE, API + "/apps/{app}", "Destroy an app (query confirm=APP)", "apps", true, null, 200,
                appsApi::destroy);

        add(HandlerType.GET, API + "/apps/{app}/collaborators", "List who has access", "access", true, null, 200, access::list);
        add(HandlerType.POST, API + "/apps/{app}/collaborators", "Add a collaborator", "access", true,
                object(Map.of("email", string()), "email"), 201, access::add);
        add(HandlerType.DELETE, API + "/apps/{app}/collaborators/{email}", "Remove a collaborator", "access", true, null,
                200, access::remove);

        add(HandlerType.GET, API + "/apps/{app}/config", "All config vars of the current release", "config", true, null,
                200, config::all);
        add(HandlerType.GET, API + "/apps/{app}/config/{key}", "One config var", "config", true, null, 200, config::one);
        add(HandlerType.PATCH, API + "/apps/{app}/config", "Set (string) and unset (null) config vars: a new release",
                "config", true, Map.of("type", "object", "additionalProperties", Map.of("type", "string", "nullable", true)),
                200, config::change);
        add(HandlerType.DELETE, API + "/apps/{app}/config", "Remove every config var (query confirm=APP): a new release",
                "config", true, null, 200, config::clear);

        add(HandlerType.GET, API + "/apps/{app}/formation", "Functions of the current release", "formation", true, null,
                200, formation::list);
        add(HandlerType.PATCH, API + "/apps/{app}/formation/{entry}",
                "Set an entry's memory, timeout or reserved concurrency (null clears it), one per call: a new release",
                "formation", true, object(Map.of("memory_mb", integer(), "timeout_s", integer(),
                        "reserved_concurrency", Map.of("type", "integer", "nullable", true, "minimum", 0))),
                200, formation::update);

        add(HandlerType.GET, API + "/apps/{app}/builds", "Builds, newest first", "builds", true, null, 200,
                buildsApi::list);
        add(HandlerType.GET, API + "/apps/{app}/builds/{id}", "One build with its log", "builds", true, null, 200,
                buildsApi::info);
        add(HandlerType.DELETE, API + "/apps/{app}/build-cache", "Clear the app's build cache: the next push builds cold",
                "builds", true, null, 200, buildsApi::clearCache);

        add(HandlerType.POST, API + "/apps/{app}/functions/{entry}/invoke",
                "Invoke a function of the current release (body: the event; X-Amz-Log-Type: Tail or ?log=tail)",
                "functions", true, Map.of("type", "object"), 200, functions::invoke);
        add(HandlerType.GET, API + "/apps/{app}/functions/{entry}/event-sources", "The function's event sources",
                "functions", true, null, 200, eventSources::list);
        add(HandlerType.POST, API + "/apps/{app}/functions/{entry}/event-sources", "Add an event source: "
                + "schedule:rate(…)|cron(…), sqs:ARN, kinesis:ARN, dynamodb:STREAM_ARN or s3:BUCKET[/PREFIX]; a new release",
                "functions", true, object(Map.of("source", string(), "batch_size", integer(), "starting_position",
                        string()), "source"), 201, eventSources::add);
        add(HandlerType.DELETE, API + "/apps/{app}/functions/{entry}/event-sources", "Remove one event source (query "
                + "source=SOURCE) or all (query all=true): a new release", "functions", true, null, 200, eventSources::remove);
        add(HandlerType.GET, API + "/apps/{app}/logs", "The app's log stream: its newest lines, oldest first (query n "
                + "1-" + LogsApi.MAX_LINES + ", default 100, counted after the filters entry, source app|laambda, since "
                + "10m|ISO-8601, request_id)", "logs", true, null, 200, logs::list);
        add(HandlerType.GET, API + "/apps/{app}/logs/stream", "The same as Server-Sent Events (event line, id the "
                + "line's), going on as lines arrive; resumes after Last-Event-ID", "logs", true, null, 200, logs::stream);
        add(HandlerType.GET, API + "/apps/{app}/drains", "The app's log drains", "logs", true, null, 200, drains::list);
        add(HandlerType.POST, API + "/apps/{app}/drains", "Add a log drain: the app's stream from now on, in order, to "
                + "syslog+tls://HOST:PORT, syslog://HOST:PORT (RFC 5424, octet-counted) or https://… (NDJSON posts)",
                "logs", true, object(Map.of("url", string()), "url"), 201, drains::add);
        add(HandlerType.DELETE, API + "/apps/{app}/drains/{id}", "Remove a log drain: forwarding stops", "logs", true,
                null, 200, drains::remove);
        add(HandlerType.GET, API + "/apps/{app}/functions/{entry}/logs",
                "The function's recent log lines, oldest first (query lines, default 100, at most 10000; "
                        + "the answer at most 1 MB)", "functions",
                true, null, 200, functions::logs);
        add(HandlerType.POST, AwsInvokeApi.PREFIX + "/functions/{function}/invocations",
                "AWS Lambda's Invoke operation for AWS SDKs and the AWS CLI (function APP-ENTRY or its ARN; "
                        + "access key id = a Laambda token)", "functions", true, Map.of("type", "object"), 200,
                awsInvoke::invoke);

        add(HandlerType.GET, API + "/apps/{app}/metrics",
                "Per function per minute: invocations, errors, throttles, timeouts, cold starts, duration percentiles, "
                        + "peak concurrency, billed GB-s (query entry, since: 10m, 1h … 24h, default 1h)", "metrics", true,
                null, 200, metrics::metrics);

        add(HandlerType.GET, API + "/apps/{app}/releases", "Releases, newest first (query limit, before)", "releases", true,
                null, 200, releasesApi::list);
        add(HandlerType.GET, API + "/apps/{app}/releases/{version}", "One release with formation and config keys",
                "releases", true, null, 200, releasesApi::info);
        add(HandlerType.POST, API + "/apps/{app}/releases/{version}/rollback",
                "Roll back: a new release with that release's artifact, config and formation", "releases", true, null,
                201, releasesApi::rollback);
        openApiDocument = OpenApiDocument.from(routes, version);
    }

    public List<Route> all() {
        return List.copyOf(routes);
    }

    GatewayApi gateway() {
        return gateway;
    }

    private void serveOpenApi(Context ctx) {
        ctx.json(openApiDocument);
    }

    private void add(HandlerType method, String path, String summary, String tag, boolean authenticated,
                     Map<String, Object> requestBody, int successStatus, Handler handler) {
        routes.add(new Route(method, path, summary, tag, authenticated, requestBody, successStatus, handler));
    }

    private static Map<String, Object> object(Map<String, Object> properties, String... required) {
        return required.length == 0 ? Map.of("type", "object", "properties", properties)
                : Map.of("type", "object", "properties", properties, "required", List.of(required));
    }

    private static Map<String, Object> string() {
        return Map.of("type", "string");
    }

    private static Map<String, Object> bool() {
        return Map.of("type", "boolean");
    }

    private static Map<String, Object> integer() {
        return Map.of("type", "integer");
    }
}
