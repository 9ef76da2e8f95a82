package dev.laambda.release;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;
import dev.laambda.TenantIsolation;
import dev.laambda.build.ArtifactStore;
import dev.laambda.logs.AppLog;
import dev.laambda.platform.FunctionRef;
import dev.laambda.platform.Platforms;
import dev.laambda.runtime.Runtimes;
import dev.laambda.store.App;
import dev.laambda.store.AppDirectories;
import dev.laambda.store.AppLocks;
import dev.laambda.store.AppRepository;
import dev.laambda.store.ArtifactRepository;
import dev.laambda.store.User;
import dev.laambda.store.UserRepository;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.regex.Pattern;

/** Creating, finding and destroying apps, and deciding who may touch each one. */
public final class Apps {

    private static final Logger log = LoggerFactory.getLogger(Apps.class);

    /** Any app's name, also one made before names had to end in a letter or digit: how git URLs are read. */
    public static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9-]{1,29}$");
    /** What a new app may be called (Heroku's rule): a letter first, a letter or digit last, no "--". */
    private static final Pattern NEW_NAME = Pattern.compile("^[a-z](?!.*--)[a-z0-9-]{0,28}[a-z0-9]$");

    private final AppRepository apps;
    private final UserRepository users;
    private final Releases releases;
    private final AppDirectories directories;
    private final AppLocks locks;
    private final Platforms platforms;
    private final AppPlacement placement;
    private final AppLog appLog;
    private final TenantIsolation isolation;
    private final ArtifactRepository artifacts;
    private final ArtifactStore artifactStore;

    public Apps(AppRepository apps, UserRepository users, Releases releases, AppDirectories directories, AppLocks locks,
                Platforms platforms, AppPlacement placement, TenantIsolation isolation, AppLog appLog,
                ArtifactRepository artifacts, ArtifactStore artifactStore) {
        this.artifacts = artifacts;
        this.artifactStore = artifactStore;
        this.appLog = appLog;
        this.isolation = isolation;
        this.apps = apps;
        this.users = users;
        this.releases = releases;
        this.directories = directories;
        this.locks = locks;
        this.platforms = platforms;
        this.placement = placement;
    }

    /** What apps:create asks for: a name, and optionally platform, region, role and runtime (null when not given). */
    public record NewApp(String name, String platform, String region, String roleArn, String runtime) {
    }

    /** Creates the app owned by {@code owner} with release v1; nothing is stored when any part is refused. */
    public App create(User owner, NewApp request) {
        checkName(request.name());
        if (request.runtime() != null) {
            // Only a runtime the builders and launchers can run: another would be stored and fail on its first push.
            Runtimes.require(request.runtime(), "invalid_runtime", "");
        }
        AppPlacement.Placement placed = placement.place(request.platform(), request.region(), request.roleArn());
        App app = apps.create(request.name(), owner.id(), placed.platform(), placed.region(), placed.roleArn(),
                request.runtime(), appId -> releases.initial(appId, owner));
        // Nothing can be there (ids are never reused), unless the database was replaced under a kept data directory.
        directories.delete(app.id());
        log.info("event=app_created app={} app_id={} platform={} region={}", app.name(), app.id(), app.platform().id(),
                app.region());
        return app;
    }

    /** The app, if {@code user} owns it, collaborates on it or is an admin. */
    public App get(User user, String name) {
        App app = apps.findByName(name).orElseThrow(() -> LaambdaException.notFound("app_not_found",
                "App '" + Echo.of(name) + "' not found: see `laambda apps` for yours."));
        if (!user.isAdmin() && app.ownerId() != user.id() && !apps.isCollaborator(app.id(), user.id())) {
            throw LaambdaException.forbidden("forbidden", "You do not have access to app '" + name + "'.");
        }
        return app;
    }

    /**
     * The app, to push code to it, set the environment its code runs with, or run it: as {@link #get}, and in
     * single-user mode for admins only. Git pushes and the API both ask here.
     */
    public App getToRun(User user, String name) {
        isolation.requireMayRunCode(user);
        return get(user, name);
    }

    /** A function as Lambda names it, APP-ENTRY: the app (checked like {@link #get}) and the Procfile entry. */
    public record FunctionName(App app, String entry) {
    }

    /**
     * Splits a Lambda function name into app and entry. App and entry names may both hold dashes, so the
     * longest existing app name that leaves an entry wins. For invoking it: checked like {@link #getToRun}.
     */
    public FunctionName function(User user, String functionName) {
        isolation.requireMayRunCode(user);
        for (int dash = functionName.lastIndexOf('-'); dash > 0; dash = functionName.lastIndexOf('-', dash - 1)) {
            String appName = functionName.substring(0, dash);
            if (apps.findByName(appName).isPresent()) {
                return new FunctionName(get(user, appName), functionName.substring(dash + 1));
            }
        }
        throw LaambdaException.notFound("ResourceNotFoundException", "Function not found: '" + Echo.of(functionName)
                + "' is not APP-ENTRY of an app you have (see `laambda functions`).");
    }

    public List<App> list(User user) {
        return apps.listVisibleTo(user);
    }

    public void destroy(User user, String name, String confirmation) {
        App app = get(user, name);
        if (!name.equals(confirmation)) {
            throw LaambdaException.invalid("confirmation_required",
                    "Destroying app '" + name + "' deletes all its releases: confirm with confirm=" + name + ".");
        }
        requireOwner(user, app, "destroy");
        // A build and a release of the app finish first (under their locks), so none writes into what goes here.
        try (AppLocks.Held building = locks.lockBuilds(app.id(), () -> log.info("event=destroy_waiting app={}", app.name()));
             AppLocks.Held releasing = locks.lockReleases(app.id(), () -> log.info("event=destroy_waiting app={}", app.name()))) {
            List<FunctionRef> functions = releases.formation(app).entries().values().stream()
                    .map(entry -> new FunctionRef(entry.functionName(), app.region())).toList();
            List<String> code = artifacts.ofApp(app.id());
            apps.delete(app.id());
            platforms.of(app.platform()).remove(functions);
            directories.delete(app.id());
            // Artifacts are content-addressed: another app with identical code keeps the ones its releases name.
            artifacts.forgetUnreferenced(code).forEach(artifactStore::delete);
        }
        log.info("event=app_destroyed app={} app_id={}", app.name(), app.id());
    }

    public List<AppRepository.Collaborator> collaborators(User user, String name) {
        return apps.collaborators(get(user, name).id());
    }

    public AppRepository.Collaborator addCollaborator(User user, String name, String email) {
        App app = get(user, name);
        requireOwner(user, app, "add collaborators to");
        User collaborator = userByEmail(email);
        if (!collaborator.isAdmin()) {
            isolation.requireMultiUser();
        }
        if (collaborator.id() == app.ownerId() || !apps.addCollaborator(app.id(), collaborator.id())) {
            throw LaambdaException.conflict("collaborator_exists", email + " already has access to app '" + name + "'.");
        }
        appLog.api(app.id(), collaborator.email() + " added as a collaborator by " + user.email());
        return new AppRepository.Collaborator(collaborator.email(), "collaborator");
    }

    public AppRepository.Collaborator removeCollaborator(User user, String name, String email) {
        App app = get(user, name);
        User collaborator = userByEmail(email);
        if (collaborator.id() != user.id()) {
            requireOwner(user, app, "remove collaborators from");
        }
        if (!apps.removeCollaborator(app.id(), collaborator.id())) {
            throw LaambdaException.notFound("user_not_found", email + " is not a collaborator on app '" + name + "'.");
        }
        appLog.api(app.id(), collaborator.email() + " removed as a collaborator by " + user.email());
        return new AppRepository.Collaborator(collaborator.email(), "collaborator");
    }

    public static void checkName(String name) {
        if (name == null || !NEW_NAME.matcher(name).matches()) {
            throw LaambdaException.invalid("invalid_app_name", "App name '" + Echo.of(name) + "' is invalid: use 2-30 "
                    + "lowercase letters, digits and single dashes, starting with a letter and ending with a letter or digit.");
        }
    }

    private User userByEmail(String email) {
        return users.findByEmail(email == null ? "" : email).orElseThrow(() -> LaambdaException.notFound("user_not_found",
                "No user with email '" + Echo.of(email) + "': an admin can create one with `laambda users:create`."));
    }

    private static void requireOwner(User user, App app, String action) {
        if (!user.isAdmin() && app.ownerId() != user.id()) {
            throw LaambdaException.forbidden("forbidden", "Only the owner of app '" + app.name() + "' or an admin can "
                    + action + " it.");
        }
    }
}
