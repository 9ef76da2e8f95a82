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
    private final LocalBuilder builder = new LocalBuilder(environment,
            new BuildLimits(Duration.ofMinutes(5), 4L << 30));

    @Test
    void requirementsAreInstalledAtTheAppRootWithoutBytecode() throws Exception {
        Path app = app("first");
        List<String> out = new ArrayList<>();
        builder.compile(BuildRequests.of(python(app), app, cache("first"), Map.of(), out::add));

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
        builder.compile(BuildRequests.of(python(first), first, cache("first"), Map.of(), line -> { }));
        Thread.sleep(1100);  // file times and anything pip might stamp differ by at least a second
        builder.compile(BuildRequests.of(python(second), second, cache("second"), Map.of(), line -> { }));

        ArtifactPacker packer = new ArtifactPacker(ArtifactPacker.LAMBDA_UNZIPPED_LIMIT);
        PackedArtifact one = packer.pack(first, temp.resolve("first.zip"), line -> { });
        PackedArtifact two = packer.pack(second, temp.resolve("second.zip"), line -> { });
        assertEquals(one.sha256(), two.sha256());
    }

    @Test
    void aSecondBuildWithUnchangedRequirementsCopiesTheCachedTreeAndGivesTheSameArtifact() throws Exception {
        Path cache = cache("shared");
        Path cold = app("cold");
        builder.compile(BuildRequests.of(python(cold), cold, cache, Map.of(), line -> { }));
        Path warm = app("warm");
        List<String> out = new ArrayList<>();
        builder.compile(BuildRequests.of(python(warm), warm, cache, Map.of(), out::add));

        assertTrue(out.contains("-----> Using cached dependencies (requirements unchanged)"), out.toString());
        assertFalse(out.stream().anyMatch(line -> line.contains("Successfully installed")), "pip did not run: " + out);
        ArtifactPacker packer = new ArtifactPacker(ArtifactPacker.LAMBDA_UNZIPPED_LIMIT);
        assertEquals(packer.pack(cold, temp.resolve("cold.zip"), line -> { }).sha256(),
                packer.pack(warm, temp.resolve("warm.zip"), line -> { }).sha256(), "warm and cold cache: same bytes");

        Files.writeString(warm.resolve("requirements.txt"), "six==1.15.0\n");
        List<String> changed = new ArrayList<>();
        builder.compile(BuildRequests.of(python(warm), warm, cache, Map.of(), changed::add));
        assertTrue(changed.stream().anyMatch(line -> line.contains("Successfully installed six-1.15.0")), changed.toString());
    }

    @Test
    void anAppWithoutRequirementsHasNothingToInstall() throws Exception {
        Path app = Files.createDirectories(temp.resolve("plain"));
        Files.writeString(app.resolve("app.py"), "def handler(event, context):\n    return 'hi'\n");
        List<String> out = new ArrayList<>();
        builder.compile(BuildRequests.of(python(app), app, cache("plain"), Map.of(), out::add));
        assertEquals(List.of("-----> No requirements.txt, Pipfile.lock or poetry.lock: nothing to install"), out);
    }

    @Test
    void aRequirementThatDoesNotExistFailsTheBuildAndShowsPipsError() throws Exception {
        Path app = Files.createDirectories(temp.resolve("broken"));
        Files.writeString(app.resolve("requirements.txt"), "laambda-no-such-package-xyz==1.0\n");
        Files.writeString(app.resolve("app.py"), "");
        List<String> out = new ArrayList<>();
        BuildFailedException e = assertThrows(BuildFailedException.class,
                () -> builder.compile(BuildRequests.of(python(app), app, cache("broken"), Map.of(), out::add)));

        assertTrue(e.getMessage().startsWith("Build failed: python bin/compile exited with status 1"), e.getMessage());
        String pipError = "       ERROR: No matching distribution found for laambda-no-such-package-xyz==1.0";
        assertTrue(out.contains(pipError), out.toString());
        assertTrue(e.lastLines().contains(pipError), e.lastLines().toString());
    }

    private static final String SIX_WHEEL_SHA256 = "sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254";

    @Test
    void aPipfileLockInstallsItsDefaultPackagesPinnedAndHashChecked() throws Exception {
        Path app = Files.createDirectories(temp.resolve("pipenv"));
        Files.writeString(app.resolve("app.py"), "import six\n");
        Files.writeString(app.resolve("Pipfile"), "[packages]\nsix = \"==1.16.0\"\n");
        Files.writeString(app.resolve("Pipfile.lock"), """
                {"_meta": {"requires": {"python_version": "3.13"}, "hash": {"sha256": "x"}, "pipfile-spec": 6, "sources": []},
                 "default": {"six": {"hashes": ["%s"], "version": "==1.16.0"}},
                 "develop": {"laambda-no-such-dev-tool": {"hashes": ["sha256:00"], "version": "==9.9"}}}
                """.formatted(SIX_WHEEL_SHA256));
        List<String> out = new ArrayList<>();
        builder.compile(BuildRequests.of(python(app), app, cache("pipenv"), Map.of(), out::add));
        assertTrue(out.contains("-----> Installing dependencies from Pipfile.lock"), out.toString());
        assertTrue(Files.isRegularFile(app.resolve("six.py")), out.toString());
        assertEquals(Optional.of("python3.13"), buildpacks.requestedRuntime(python(app), app));
    }

    @Test
    void aPoetryLockInstallsItsMainGroupOnly() throws Exception {
        Path app = Files.createDirectories(temp.resolve("poetry"));
        Files.writeString(app.resolve("app.py"), "import six\n");
        Files.writeString(app.resolve("pyproject.toml"), "[tool.poetry]\nname = \"demo\"\n");
        Files.writeString(app.resolve("poetry.lock"), """
                [[package]]
                name = "six"
                version = "1.16.0"
                description = "Python 2 and 3 compatibility utilities"
                optional = false
                python-versions = ">=2.7"
                groups = ["main"]
                files = [{file = "six-1.16.0-py2.py3-none-any.whl", hash = "%s"}]

                [[package]]
                name = "laambda-no-such-dev-tool"
                version = "9.9"
                description = "a dev dependency, never installed"
                optional = false
                python-versions = ">=3.8"
                groups = ["dev"]
                files = []
                """.formatted(SIX_WHEEL_SHA256));
        List<String> out = new ArrayList<>();
        builder.compile(BuildRequests.of(python(app), app, cache("poetry"), Map.of(), out::add));
        assertTrue(out.contains("-----> Installing dependencies from poetry.lock"), out.toString());
        assertTrue(Files.isRegularFile(app.resolve("six.py")), out.toString());
    }

    @Test
    void aPipfileWithoutItsLockIsRefusedWithWhatToDo() throws Exception {
        Path app = Files.createDirectories(temp.resolve("unlocked"));
        Files.writeString(app.resolve("Pipfile"), "[packages]\nsix = \"*\"\n");
        List<String> out = new ArrayList<>();
        assertThrows(BuildFailedException.class,
                () -> builder.compile(BuildRequests.of(python(app), app, cache("unlocked"), Map.of(), out::add)));
        assertTrue(out.contains(" !     Pipfile without Pipfile.lock: run 'pipenv lock' and commit Pipfile.lock."), out.toString());
    }

    @Test
    void runtimeTxtOrPythonVersionPicksTheRuntime() throws Exception {
        Path app = app("versioned");
        assertEquals(Optional.empty(), buildpacks.requestedRuntime(python(app), app), "no version named: the default");
        Files.writeString(app.resolve(".python-version"), "3.12.4\n");
        assertEquals(Optional.of("python3.12"), buildpacks.requestedRuntime(python(app), app));
        Files.writeString(app.resolve("runtime.txt"), "python-3.11\n");
        assertEquals(Optional.of("python3.11"), buildpacks.requestedRuntime(python(app), app), "runtime.txt comes first");
        Files.writeString(app.resolve("runtime.txt"), "python-2.7.18\n");
        dev.laambda.LaambdaException refused = assertThrows(dev.laambda.LaambdaException.class,
                () -> buildpacks.requestedRuntime(python(app), app));
        assertEquals("runtime.txt asks for Python '2.7.18': Lambda runs Python 3.9 to 3.13 (write e.g. python-3.13 in "
                + "runtime.txt).", refused.getMessage());
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
