package dev.laambda.release;

import java.nio.file.Path;

/** The pushed source of a deploy, able to write its files into a directory (git provides it). */
@FunctionalInterface
public interface SourceTree {
    void checkoutTo(Path directory);
}
