package dev.laambda.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuildCacheTest {

    @TempDir
    Path data;

    @Test
    void eachAppAndBuildpackHasItsOwnCacheAndClearingAnAppLeavesTheOthers() throws Exception {
        BuildCache cache = new BuildCache(data.resolve("cache"));
        Path thumbs = cache.dirFor("thumbs", "python");
        assertEquals(data.resolve("cache/thumbs/python"), thumbs);
        assertTrue(Files.isDirectory(thumbs));
        Files.writeString(thumbs.resolve("pip-wheel"), "x");
        Path other = cache.dirFor("other", "python");

        cache.clear("thumbs");
        assertFalse(Files.exists(data.resolve("cache/thumbs")));
        assertTrue(Files.isDirectory(other));
        cache.clear("never-built");
    }
}
