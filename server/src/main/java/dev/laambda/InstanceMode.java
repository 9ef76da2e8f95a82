package dev.laambda;

import java.util.Locale;

/** How function instances run (LAAMBDA_INSTANCES); TenantIsolation decides what AUTO becomes. */
public enum InstanceMode {
    /** Containers when a usable engine exists, else host processes in single-user mode. */
    AUTO,
    /** Containers of the runtime's run image; the server does not start without a usable engine. */
    CONTAINER,
    /** Host processes, with nothing between apps. */
    PROCESS;

    /** The value as the setting spells it: auto, container, process. */
    public String setting() {
        return name().toLowerCase(Locale.ROOT);
    }
}
