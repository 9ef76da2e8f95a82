package dev.laambda;

import java.util.Locale;

/** Where builds run (LAAMBDA_BUILDER); TenantIsolation decides what AUTO becomes. */
public enum BuilderMode {
    /** In Docker when a usable engine exists, else as host processes in single-user mode. */
    AUTO,
    /** In a container of the runtime's build image; the server does not start without a usable engine. */
    DOCKER,
    /** As host processes, with nothing between apps. */
    LOCAL;

    /** The value as the setting spells it: auto, docker, local. */
    public String setting() {
        return name().toLowerCase(Locale.ROOT);
    }
}
