package dev.laambda.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped Python buildpack, run for real by the LocalBuilder: pip installs from the package index the
 * host is configured for (its PIP_* environment and pip.conf), as it would on the server.
 */
class PythonBuildpackTest {

    private static final Path SHIPPED = Path.of("..", "buildpacks").toAbsolutePath().normalize();

    @TempDir
    Path temp;

    private final BuildEnvironment environment = new BuildEnvironment(System.getenv());
    private final Buildpacks buildpacks = new Buildpacks(SHIPPED, List.of("python"), environment);
    private final LocalBuilder builder = new LocalBuilder(environment, Duration.ofMinutes(5));

    @Test
    void requirementsAreInstalledAtTheAppRootWithoutBytecode() throws Exception {
        Path app = app("first");
        List<String> out = new ArrayList<>();
        builder.compile(python(app), app, cache("first"), Map.of(), out::add);

        assertTrue(Files.isRegularFile(app.resolve("six.py")), "six.py at the root, where Lambda's import path looks");
        assertTrue(out.contains("-----> Installing requirements"), out.toString());
        assertTrue(out.stream().anyMatch(line -> line.startsWith("       Successfully installed six-1.16.0")), out.toString());
        assertTrue(out.stream().filter(line -> !line.startsWith("-----> ")).allMatch(line -> line.startsWith("       ")),
                "pip's output is indented under the heading: " + out);
        try (Stream<Path> files = Files.walk(app)) {
            assertFalse(files.anyMatch(path -> path.getFileName().toString().equals("__pycache__")
                    || path.toString().endsWith(".pyc") || path.toString().endsWith("direct_url.json")));
        }
    }

    @Test
    void buildingTheSameAppTwiceGivesTheSameArtifact() throws Exception {
        Path first = app("first");
        Path second = app("second");
        builder.compile(python(first), first, cache("first"), Map.of(), line -> { });
        Thread.sleep(1100);  // file times and anything pip might stamp differ by at least a second
        builder.compile(python(second), second, cache("second"), Map.of(), line -> { });

        ArtifactPacker packer = new ArtifactPacker(ArtifactPacker.LAMBDA_UNZIPPED_LIMIT);
        PackedArtifact one = packer.pack(first, temp.resolve("first.zip"), line -> { });
        PackedArtifact two = packer.pack(second, temp.resolve("second.zip"), line -> { });
        assertEquals(one.sha256(), two.sha256());
    }

    @Test
    void anAppWithoutRequirementsHasNothingToInstall() throws Exception {
        Path app = Files.createDirectories(temp.resolve("plain"));
        Files.writeString(app.resolve("app.py"), "def handler(event, context):\n    return 'hi'\n");
        List<String> out = new ArrayList<>();
        builder.compile(python(app), app, cache("plain"), Map.of(), out::add);
        assertEquals(List.of("-----> No requirements.txt: nothing to install"), out);
    }

    @Test
    void aRequirementThatDoesNotExistFailsTheBuildAndShowsPipsError() throws Exception {
        Path app = Files.createDirectories(temp.resolve("broken"));
        Files.writeString(app.resolve("requirements.txt"), "laambda-no-such-package-xyz==1.0\n");
        Files.writeString(app.resolve("app.py"), "");
        List<String> out = new ArrayList<>();
        BuildFailedException e = assertThrows(BuildFailedException.class,
                () -> builder.compile(python(app), app, cache("broken"), Map.of(), out::add));

        assertTrue(e.getMessage().startsWith("Build failed: python bin/compile exited with status 1"), e.getMessage());
        String pipError = "       ERROR: No matching distribution found for laambda-no-such-package-xyz==1.0";
        assertTrue(out.contains(pipError), out.toString());
        assertTrue(e.lastLines().contains(pipError), e.lastLines().toString());
    }

    private Buildpack python(Path app) {
        return buildpacks.detect(app, Optional.empty(), line -> { }).buildpack();
    }

    private Path app(String name) throws Exception {
        Path app = Files.createDirectories(temp.resolve(name));
        Files.writeString(app.resolve("requirements.txt"), "six==1.16.0\n");
        Files.writeString(app.resolve("app.py"), "import six\n\ndef handler(event, context):\n    return six.PY3\n");
        return app;
    }

    private Path cache(String name) throws Exception {
        return Files.createDirectories(temp.resolve("cache-" + name));
    }
}
