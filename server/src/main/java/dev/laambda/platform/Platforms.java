package dev.laambda.platform;

import java.util.Map;

/** Every platform this server runs functions on; each app names its own (apps.platform). */
public final class Platforms {

    private final Map<PlatformKind, FunctionPlatform> byKind;

    public Platforms(FunctionPlatform local, FunctionPlatform aws) {
        this.byKind = Map.of(PlatformKind.LOCAL, local, PlatformKind.AWS, aws);
    }

    public FunctionPlatform of(PlatformKind kind) {
        return byKind.get(kind);
    }
}
