package dev.laambda.runtime;

import java.util.Locale;

/** A Lambda runtime's language family: names the buildpack whose runtime client runs it and the server's image settings. */
public enum RuntimeFamily {
    PYTHON, NODEJS, JAVA, PROVIDED;

    /** The lower-case name used in paths and image names: python, nodejs, java, provided. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
