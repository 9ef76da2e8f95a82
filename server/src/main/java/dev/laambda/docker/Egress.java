package dev.laambda.docker;

import java.util.Locale;

/** What untrusted code in a container may reach beyond its own sandbox (LAAMBDA_FUNCTION_EGRESS, LAAMBDA_BUILD_EGRESS). */
public enum Egress {
    /** Public internet addresses, through NAT; never the host, another container or a private range. */
    INTERNET,
    /** Nothing outside the container. */
    NONE;

    /** "internet" or "none", as the setting and the firewall script spell it. */
    public String setting() {
        return name().toLowerCase(Locale.ROOT);
    }
}
