package dev.laambda.docker;

import java.util.Locale;

/** What untrusted code in a container may reach beyond its own sandbox (LAAMBDA_FUNCTION_EGRESS). */
public enum Egress {
    /** Public internet addresses, through NAT; never the host, another container or a private range. */
    INTERNET,
    /** Nothing outside the container. */
    NONE;

    /** "internet" or "none", as the setting and the firewall script spell it. */
    public String setting() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The setting's value, or empty when it is neither. */
    public static java.util.Optional<Egress> parse(String value) {
        for (Egress egress : values()) {
            if (egress.setting().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return java.util.Optional.of(egress);
            }
        }
        return java.util.Optional.empty();
    }
}
