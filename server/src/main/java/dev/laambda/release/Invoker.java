package dev.laambda.release;

import dev.laambda.LaambdaException;
import dev.laambda.TenantIsolation;
import dev.laambda.logs.AppLog;
import dev.laambda.platform.FunctionPlatform;
import dev.laambda.platform.FunctionSpec;
import dev.laambda.platform.InvokeResult;
import dev.laambda.platform.PlatformKind;
import dev.laambda.platform.Platforms;
import dev.laambda.store.App;
import dev.laambda.store.Release;
import dev.laambda.store.ReleaseRepository;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Invokes a function of an app. The app's current release is taken once, at the start (from {@link LiveReleases},
 * which this server keeps current with every other's changes), and the whole
 * invocation runs on it: code and config always come from the same release.
 */
public final class Invoker {

    /** Lambda's synchronous payload limit: 6 MB. */
    public static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    private static final byte[] EMPTY_EVENT = "{}".getBytes(StandardCharsets.UTF_8);
    /** Lambda's asynchronous payload limit: 256 KB. */
    public static final int MAX_ASYNC_PAYLOAD_BYTES = 256 * 1024;
    private static final Logger log = LoggerFactory.getLogger(Invoker.class);

    private final ExecutorService background = Executors.newFixedThreadPool(4,
            runnable -> {
                Thread thread = new Thread(runnable, "async-invoke");
                thread.setDaemon(true);
                return thread;
            });

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LiveReleases live;
    private final ReleaseRepository releases;
    private final Platforms platforms;
    private final TenantIsolation isolation;
    private final AppLog appLog;

    public Invoker(LiveReleases live, ReleaseRepository releases, Platforms platforms, TenantIsolation isolation,
                   AppLog appLog) {
        this.isolation = isolation;
        this.appLog = appLog;
        this.live = live;
        this.releases = releases;
        this.platforms = platforms;
    }

    /** For the public gateway: the app by name, no user (the app's web function is its public face). */
    public App publicApp(String appName) {
        return live.app(appName).orElseThrow(() -> LaambdaException.notFound("app_not_found",
                "App '" + appName + "' not found."));
    }

    /**
     * A synchronous invocation; {@code clientContext} is the caller's ClientContext JSON, if any. A local
     * function's output goes to the app's log stream (an aws function's goes to CloudWatch Logs).
     */
    public InvokeResult invoke(App app, String entry, byte[] payload, Optional<String> clientContext) {
        InvokeResult result = platforms.of(app.platform()).invoke(check(app, entry, payload), event(payload), clientContext);
        logOutput(app, entry, result);
        return result;
    }

    private void logOutput(App app, String entry, InvokeResult result) {
        if (app.platform() == PlatformKind.LOCAL) {
            appLog.invocation(app.id(), entry, result.log());
        }
    }

    /** Lambda hands a function invoked without a payload the empty object {} as its event. */
    private static byte[] event(byte[] payload) {
        return payload.length == 0 ? EMPTY_EVENT.clone() : payload;
    }

    /**
     * InvocationType=Event: checked now, run in the background on the release current now; Lambda's async
     * payload limit (256 KB) applies. Failures are logged, as Lambda sends them to the function's log.
     */
    public void invokeAsync(App app, String entry, byte[] payload) {
        if (payload.length > MAX_ASYNC_PAYLOAD_BYTES) {
            throw new LaambdaException(LaambdaException.Kind.TOO_LARGE, "RequestTooLargeException",
                    "Request must be smaller than " + MAX_ASYNC_PAYLOAD_BYTES + " bytes for an Event invocation.");
        }
        FunctionSpec spec = check(app, entry, payload);
        FunctionPlatform platform = platforms.of(app.platform());
        background.execute(() -> {
            try {
                logOutput(app, entry, platform.invoke(spec, event(payload), Optional.empty()));
            } catch (RuntimeException e) {
                log.warn("event=async_invoke_failed function={} error={}", spec.functionName(), e.getMessage());
                if (app.platform() == PlatformKind.LOCAL) {
                    // As Lambda's, beside the function's other lines; only our own messages are meant for the developer.
                    appLog.function(app.id(), entry, null, "Event invocation failed: "
                            + (e instanceof LaambdaException ? e.getMessage() : "see the server's log"));
                }
            }
        });
    }

    /** Validates an invocation (InvocationType=DryRun) and resolves the one release it will run on. */
    public FunctionSpec check(App app, String entry, byte[] payload) {
        checkPayload(payload);
        if (app.platform() == PlatformKind.LOCAL) {
            // Functions of an aws app run on Lambda, never on this machine.
            isolation.requireTrusted(app.name(), () -> releases.touchedByNonAdmin(app.id()));
        }
        LiveReleases.Live current = live.live(app);
        Release release = current.release().orElseThrow(() -> notDeployed(app));
        if (release.artifactSha() == null) {
            throw notDeployed(app);
        }
        FormationEntry function = Formation.fromJson(release.formationJson()).entries().get(entry);
        if (function == null) {
            throw LaambdaException.notFound("ResourceNotFoundException", "Function not found: app '" + app.name()
                    + "' has no Procfile entry '" + entry + "' in v" + release.version() + " (see `laambda functions`).");
        }
        return function.function(app, release.artifactSha(), release.version(), current.config().values());
    }

    /** Lambda's answer to a payload over its 6 MB synchronous limit. */
    public static LaambdaException payloadTooLarge() {
        return new LaambdaException(LaambdaException.Kind.TOO_LARGE, "RequestTooLargeException",
                "Request must be smaller than " + MAX_PAYLOAD_BYTES + " bytes for the InvokeFunction operation.");
    }

    private static void checkPayload(byte[] payload) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw payloadTooLarge();
        }
        if (payload.length == 0) {
            return;
        }
        try {
            JSON.readTree(payload);
        } catch (IOException e) {
            throw LaambdaException.invalid("InvalidRequestContentException",
                    "Could not parse request body into json: the payload must be JSON.");
        }
    }

    private static LaambdaException notDeployed(App app) {
        return LaambdaException.conflict("not_deployed", "App '" + app.name() + "' has no code yet: git push laambda main.");
    }
}
