package dev.laambda.release;

import java.nio.file.Path;

/** The pushed source of a deploy (git provides it). */
public interface SourceTree {

    /** Writes the source's files into an empty directory. */
    void checkoutTo(Path directory);

    /**
     * Records this source as what the app runs (git: moves the deployed branch to it). Called under the
     * app's deploy lock once the release exists, so concurrent pushes leave branch and release in step.
     */
    void recordDeployed();
}
