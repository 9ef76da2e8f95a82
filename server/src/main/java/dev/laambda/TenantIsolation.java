package dev.laambda;

import dev.laambda.store.User;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What stands between one tenant's code and the server and other apps, decided once at start from
 * LAAMBDA_INSTANCES, LAAMBDA_BUILDER and whether a usable container engine exists; and so who may push, invoke
 * and be let in. Host processes are never chosen for the operator silently:
 * <ul>
 * <li>builds and instances both in containers: {@link Level#CONTAINERS}, every user works on their own apps;</li>
 * <li>LAAMBDA_INSTANCES=process and LAAMBDA_BUILDER=local, both set explicitly: {@link Level#NONE_BY_OPERATOR},
 *     every user may push and invoke, and the server warns at start that nothing separates apps;</li>
 * <li>any other way some tenant code runs on the host (auto without a usable engine, or one host mode with the
 *     other left to auto or set to containers, since a build on the host runs the pusher's code as surely as an
 *     instance does): {@link Level#SINGLE_USER}, only admins push, invoke or change config, no non-admin user or
 *     collaborator can be added, and code or config a non-admin gave an app earlier does not run;</li>
 * <li>container or docker set explicitly without a usable engine: the server does not start.</li>
 * </ul>
 */
public record TenantIsolation(Level level, boolean instancesInContainers, boolean buildsInContainers, String reason,
                              String remedy) {

    public enum Level {
        /** Every build and instance in its own container. */
        CONTAINERS,
        /** Tenant code runs on the host and the operator did not ask for it: only admins may run code. */
        SINGLE_USER,
        /** Tenant code runs on the host because the operator set both host modes: no walls, everyone may run code. */
        NONE_BY_OPERATOR;

        /** As the API and the logs spell it: containers, single_user, none_by_operator. */
        public String spelled() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final String ALLOW_WITHOUT_ISOLATION = "or set " + ServerConfig.INSTANCES + "=process and "
            + ServerConfig.BUILDER + "=local to allow other users without isolation";

    /**
     * The decision; {@code containerProblem} is empty when containers are usable, else why not, in one line
     * ("no Docker engine at unix:///var/run/docker.sock: …"). Throws when a setting demands containers without them.
     */
    public static TenantIsolation decide(InstanceMode instances, BuilderMode builder, Optional<String> containerProblem) {
        if (containerProblem.isPresent()) {
            List<String> demanding = new ArrayList<>();
            List<String> settings = new ArrayList<>();
            if (instances == InstanceMode.CONTAINER) {
                demanding.add(ServerConfig.INSTANCES + "=" + instances.setting());
                settings.add(ServerConfig.INSTANCES);
            }
            if (builder == BuilderMode.DOCKER) {
                demanding.add(ServerConfig.BUILDER + "=" + builder.setting());
                settings.add(ServerConfig.BUILDER);
            }
            if (!demanding.isEmpty()) {
                throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "containers_unusable",
                        String.join(" and ", demanding) + ", but " + containerProblem.get()
                                + ": start Docker (scripts/docker-engine), or unset " + String.join(" and ", settings)
                                + " to start in single-user mode without containers.");
            }
        }
        boolean instancesInContainers = instances == InstanceMode.CONTAINER
                || instances == InstanceMode.AUTO && containerProblem.isEmpty();
        boolean buildsInContainers = builder == BuilderMode.DOCKER
                || builder == BuilderMode.AUTO && containerProblem.isEmpty();
        if (instancesInContainers && buildsInContainers) {
            return new TenantIsolation(Level.CONTAINERS, true, true, "every build and instance in its own container", "");
        }
        if (instances == InstanceMode.PROCESS && builder == BuilderMode.LOCAL) {
            return new TenantIsolation(Level.NONE_BY_OPERATOR, false, false, ServerConfig.INSTANCES + "=process and "
                    + ServerConfig.BUILDER + "=local run every app's builds and functions as host processes", "");
        }
        List<String> reasons = new ArrayList<>();
        List<String> hostSettings = new ArrayList<>();
        if (instances == InstanceMode.PROCESS) {
            reasons.add(ServerConfig.INSTANCES + "=process runs functions as host processes");
            hostSettings.add(ServerConfig.INSTANCES);
        }
        if (builder == BuilderMode.LOCAL) {
            reasons.add(ServerConfig.BUILDER + "=local runs builds as host processes");
            hostSettings.add(ServerConfig.BUILDER);
        }
        boolean fellBack = instances == InstanceMode.AUTO && !instancesInContainers
                || builder == BuilderMode.AUTO && !buildsInContainers;
        containerProblem.filter(problem -> fellBack).ifPresent(reasons::add);
        String remedy = hostSettings.isEmpty()
                ? "start Docker (scripts/docker-engine) and restart the server, " + ALLOW_WITHOUT_ISOLATION
                : "unset " + String.join(" and ", hostSettings) + " (containers need Docker: scripts/docker-engine) "
                        + "and restart the server, " + ALLOW_WITHOUT_ISOLATION;
        return new TenantIsolation(Level.SINGLE_USER, instancesInContainers, buildsInContainers,
                String.join("; ", reasons), remedy);
    }

    /** For a command that opens the database without deciding (admin:create): single-user, the safe side. */
    public static TenantIsolation adminsOnly(String reason) {
        return new TenantIsolation(Level.SINGLE_USER, false, false, reason, "start the server to decide");
    }

    /** Whether users other than admins may push, invoke and be added. */
    public boolean multiUser() {
        return level != Level.SINGLE_USER;
    }

    /** Pushing code, setting the environment it runs with, or running it: refused to non-admins in single-user mode. */
    public void requireMayRunCode(User user) {
        if (!multiUser() && !user.isAdmin()) {
            throw refused();
        }
    }

    /** Adding a user or collaborator who is not an admin: refused in single-user mode. */
    public void requireMultiUser() {
        if (!multiUser()) {
            throw refused();
        }
    }

    /**
     * Running an app in single-user mode: refused when a non-admin ever pushed its code or set its config (while
     * containers were on, before a restart without them). {@code touchedByNonAdmin} is only asked then.
     */
    public void requireTrusted(String appName, BooleanSupplier touchedByNonAdmin) {
        if (!multiUser() && touchedByNonAdmin.getAsBoolean()) {
            throw LaambdaException.forbidden("single_user_mode", "App '" + appName + "' holds code or config from a "
                    + "user who is not an admin, and this server runs without isolation between apps (" + reason
                    + "), so it does not run it: an admin can push it again and set its config, or " + remedy + ".");
        }
    }

    /** The one line the server prints and logs at start. */
    public String description() {
        return switch (level) {
            case CONTAINERS -> "Tenant isolation: containers (" + reason + ").";
            case SINGLE_USER -> "Single-user mode: only admins may push and invoke, since this server runs without "
                    + "isolation between apps (" + reason + "): " + remedy + ".";
            case NONE_BY_OPERATOR -> "WARNING: no isolation between apps: " + reason
                    + ", so any user who can push owns this server and every app on it.";
        };
    }

    private LaambdaException refused() {
        return LaambdaException.forbidden("single_user_mode", "This server runs without isolation between apps ("
                + reason + "), so only admins may push and invoke: " + remedy + ".");
    }
}
