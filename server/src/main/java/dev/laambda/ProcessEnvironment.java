package dev.laambda;

import java.util.Map;
import java.util.Optional;

/**
 * What a process environment can hold: C strings of UTF-8, so no NUL and no unpaired UTF-16 surrogate (it has
 * no UTF-8 form). A value that breaks this cannot reach a function intact, whatever starts it.
 */
public final class ProcessEnvironment {

    private ProcessEnvironment() {
    }

    public static boolean canHold(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Why {@code key}'s value cannot be used, in one line that never shows the value. */
    public static String unholdable(String key) {
        return "Config var '" + key + "' has a value a process environment cannot hold (a NUL character or invalid "
                + "Unicode): set it to a value without them, or unset it.";
    }

    /** The first key (in the map's order) whose value a process environment cannot hold. */
    public static Optional<String> firstUnholdable(Map<String, String> environment) {
        return environment.entrySet().stream().filter(e -> !canHold(e.getValue())).map(Map.Entry::getKey).findFirst();
    }
}
