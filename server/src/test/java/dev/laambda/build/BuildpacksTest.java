package dev.laambda.build;

import dev.laambda.LaambdaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuildpacksTest {

    /** The buildpacks shipped in the repository, as the server finds them. */
    private static final Path SHIPPED = Path.of("..", "buildpacks").toAbsolutePath().normalize();
    private static final List<String> DEFAULT_ORDER = List.of("python", "nodejs", "php", "java", "go");

    @TempDir
    Path temp;

    private final Buildpacks shipped = new Buildpacks(SHIPPED, DEFAULT_ORDER, new BuildEnvironment(Map.of()));

    @Test
    void pythonDetectsAnAppWithRequirementsTxtAndNamesItsRuntime() throws Exception {
        Path app = app(Map.of("requirements.txt", "six==1.16.0\n"));
        Buildpacks.Detected detected = shipped.detect(app, Optional.empty(), line -> { });
        assertEquals("python", detected.buildpack().name());
        assertEquals("Python", detected.displayName());
        assertEquals("python3.13", detected.buildpack().defaultRuntime());
        assertEquals(SHIPPED.resolve("python"), detected.buildpack().dir());
    }

    @Test
    void pythonDetectsALonePythonFileAndEachOfItsDependencyFiles() throws Exception {
        assertEquals("Python", shipped.detect(app(Map.of("handler.py", "")), Optional.empty(), line -> { }).displayName());
        for (String marker : List.of("setup.py", "pyproject.toml", "Pipfile")) {
            assertEquals("python", shipped.detect(app(Map.of(marker, "")), Optional.empty(), line -> { }).buildpack().name());
        }
    }

    @Test
    void anAppNoBuildpackRecognisesIsRefusedWithWhatToAdd() throws Exception {
        Path app = app(Map.of("README.md", "# hello\n", "lib/deep.py", "x = 1\n"));
        LaambdaException e = assertThrows(LaambdaException.class, () -> shipped.detect(app, Optional.empty(), line -> { }));
        assertEquals("no_buildpack", e.code());
        assertTrue(e.getMessage().startsWith("No buildpack detected this app: add requirements.txt (Python)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("or set LAAMBDA_BUILDPACK."), e.getMessage());
    }

    @Test
    void anOverrideNamingNoInstalledBuildpackListsTheInstalledOnes() throws Exception {
        Path app = app(Map.of("app.py", ""));
        LaambdaException e = assertThrows(LaambdaException.class,
                () -> shipped.detect(app, Optional.of("cobol"), line -> { }));
        assertEquals("unknown_buildpack", e.code());
        assertEquals("Buildpack 'cobol' (LAAMBDA_BUILDPACK) is not installed: use one of python, nodejs, php, java, go.", e.getMessage());
        assertEquals("unknown_buildpack", assertThrows(LaambdaException.class,
                () -> shipped.detect(app, Optional.of("../python"), line -> { })).code());
    }

    @Test
    void anOverrideIsUsedEvenWhenItsDetectWouldNotHaveChosenTheApp() throws Exception {
        List<String> out = new ArrayList<>();
        Buildpacks.Detected detected = shipped.detect(app(Map.of("index.js", "")), Optional.of("python"), out::add);
        assertEquals("python", detected.buildpack().name());
        assertEquals("python", detected.displayName(), "detect said no, so the buildpack's own name is shown");
        assertEquals(List.of("-----> Using buildpack python (LAAMBDA_BUILDPACK)"), out);
        assertEquals("Python", shipped.detect(app(Map.of("app.py", "")), Optional.of("python"), line -> { }).displayName());
    }

    @Test
    void theFirstBuildpackInTheOrderWhoseDetectSucceedsWinsAndMissingOnesAreSkipped() throws Exception {
        Path root = Files.createDirectories(temp.resolve("buildpacks"));
        buildpack(root, "never", "exit 1");
        buildpack(root, "first", "echo 'First Lang'; echo 'second line'; exit 0");
        buildpack(root, "second", "echo Second; exit 0");
        Buildpacks buildpacks = new Buildpacks(root, List.of("absent", "never", "first", "second"),
                new BuildEnvironment(Map.of()));
        Buildpacks.Detected detected = buildpacks.detect(app(Map.of("x", "")), Optional.empty(), line -> { });
        assertEquals("first", detected.buildpack().name());
        assertEquals("First Lang", detected.displayName());
        assertEquals("provided.al2023", detected.buildpack().defaultRuntime(), "no buildpack.toml");
        assertEquals(List.of("never", "first", "second"), buildpacks.available());

        Buildpacks reversed = new Buildpacks(root, List.of("second", "first"), new BuildEnvironment(Map.of()));
        assertEquals("Second", reversed.detect(app(Map.of("x", "")), Optional.empty(), line -> { }).displayName());
    }

    @Test
    void detectRunsWithTheBuildEnvironmentNotTheServers() throws Exception {
        Path root = Files.createDirectories(temp.resolve("buildpacks"));
        buildpack(root, "env", "echo \"key=${LAAMBDA_MASTER_KEY:-unset} index=${PIP_INDEX_URL:-unset}\"");
        Buildpacks buildpacks = new Buildpacks(root, List.of("env"), new BuildEnvironment(
                Map.of("LAAMBDA_MASTER_KEY", "s3cr3t", "PIP_INDEX_URL", "https://mirror.example/simple", "PATH", "/usr/bin:/bin")));
        assertEquals("key=unset index=https://mirror.example/simple",
                buildpacks.detect(app(Map.of()), Optional.empty(), line -> { }).displayName());
    }

    @Test
    void pythonsReleaseOffersAWebHandlerWhenThereIsNoProcfile() throws Exception {
        Buildpack python = shipped.detect(app(Map.of("app.py", "")), Optional.empty(), line -> { }).buildpack();
        assertEquals(Optional.of(Map.of("web", "lambda_function.lambda_handler")),
                shipped.defaultProcessTypes(python, app(Map.of("lambda_function.py", "", "app.py", ""))));
        assertEquals(Optional.of(Map.of("web", "app.handler")), shipped.defaultProcessTypes(python, app(Map.of("app.py", ""))));
        assertEquals(Optional.of(Map.of()), shipped.defaultProcessTypes(python, app(Map.of("other.py", ""))));
        assertEquals(Optional.of(Map.of()),
                shipped.defaultProcessTypes(python, app(Map.of("app.py", "", "Procfile", "fn: app.fn\n"))));
    }

    @Test
    void releaseYamlIsReadForItsProcessTypesOnly() throws Exception {
        Path root = Files.createDirectories(temp.resolve("buildpacks"));
        Buildpack custom = buildpack(root, "custom", "exit 0");
        script(custom.bin("release"), String.join("\n",
                "echo '---'",
                "echo 'addons: []'",
                "echo 'default_process_types:'",
                "echo '  web: app.handler'",
                "echo \"  worker: 'jobs.run'\"",
                "echo '  quoted: \"q.handler\"'",
                "echo 'config_vars:'",
                "echo '  LANG: C'"));
        assertEquals(Optional.of(Map.of("web", "app.handler", "worker", "jobs.run", "quoted", "q.handler")),
                new Buildpacks(root, List.of("custom"), new BuildEnvironment(Map.of())).defaultProcessTypes(custom, app(Map.of())));
        Buildpack withoutRelease = buildpack(root, "bare", "exit 0");
        assertEquals(Optional.empty(), new Buildpacks(root, List.of("bare"), new BuildEnvironment(Map.of()))
                .defaultProcessTypes(withoutRelease, app(Map.of())));
    }

    private Path app(Map<String, String> files) throws Exception {
        Path app = Files.createTempDirectory(temp, "app");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = app.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        return app;
    }

    private static Buildpack buildpack(Path root, String name, String detectBody) throws Exception {
        Path dir = Files.createDirectories(root.resolve(name).resolve("bin")).getParent();
        script(dir.resolve("bin/detect"), detectBody);
        return new Buildpack(name, dir, "provided.al2023");
    }

    private static void script(Path path, String body) throws Exception {
        Files.writeString(path, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
