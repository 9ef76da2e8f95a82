package dev.laambda.runtime;

/** How an instance of a runtime starts on the local platform. */
public enum LaunchKind {
    /** The family's buildpacks/&lt;family&gt;/runtime/launch script, which execs AWS's runtime interface client. */
    RUNTIME_CLIENT,
    /** The app's own executable {@code bootstrap} at the artifact root (provided.*). */
    BOOTSTRAP
}
