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
    void eachAppAndBuildpackHasItsOwnCacheKeyedByTheAppsIdAndClearingAnAppLeavesTheOthers() throws Exception {
        BuildCache cache = new BuildCache(data.resolve("cache"));
        Path thumbs = cache.dirFor(7, "python");
        assertEquals(data.resolve("cache/7/python"), thumbs);
        assertTrue(Files.isDirectory(thumbs));
        Files.writeString(thumbs.resolve("pip-wheel"), "x");
        Path other = cache.dirFor(8, "python");

        cache.clear(7);
        assertFalse(Files.exists(data.resolve("cache/7")));
        assertTrue(Files.isDirectory(other));
        cache.clear(99);
    }
}
