package dev.laambda.platform;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;

import java.util.Locale;

/** Where an app's functions run: {@code local}, Laambda's own Lambda-compatible runtime, or {@code aws}, AWS Lambda. */
public enum PlatformKind {
    LOCAL, AWS;

    /** As stored, shown and accepted: {@code local}, {@code aws}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The platform named {@code id}, or a one-line refusal (code {@code invalid_platform}) listing both. */
    public static PlatformKind parse(String id) {
        for (PlatformKind kind : values()) {
            if (kind.id().equals(id)) {
                return kind;
            }
        }
        throw LaambdaException.invalid("invalid_platform", "Platform '" + Echo.of(id) + "' is not one Laambda runs "
                + "functions on: use local or aws.");
    }
}
