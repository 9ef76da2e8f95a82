package dev.laambda.build;

import dev.laambda.testing.MavenPom;
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
 * The shipped Java buildpack, run for real by the LocalBuilder: the host's mvn builds a Maven app with
 * dependencies from the repository the host's Maven is configured for, and the result is Lambda's java zip.
 */
class JavaBuildpackTest {

    private static final Path SHIPPED = Path.of("..", "buildpacks").toAbsolutePath().normalize();
    private static final String POM = MavenPom.withDependencies();
    private static final String HELLO = """
            package example;

            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestHandler;
            import java.util.Map;

            public class Hello implements RequestHandler<Map<String, Object>, String> {
                @Override
                public String handleRequest(Map<String, Object> event, Context context) {
                    return "hello " + event.get("name");
                }
            }
            """;

    @TempDir
    Path temp;

    private final BuildEnvironment environment = new BuildEnvironment(System.getenv());
    private final Buildpacks buildpacks = new Buildpacks(SHIPPED, List.of("python", "java"), environment);
    private final LocalBuilder builder = new LocalBuilder(environment,
            new BuildLimits(Duration.ofMinutes(10), 4L << 30));

    @Test
    void aMavenAppIsBuiltIntoLambdasJavaLayoutWithClassesAtTheRootAndJarsInLib() throws Exception {
        Path app = app("layout");
        Buildpacks.Detected detected = buildpacks.detect(app, Optional.empty(), line -> { });
        assertEquals("Java", detected.displayName());
        assertEquals("java21", detected.buildpack().defaultRuntime());

        List<String> out = new ArrayList<>();
        builder.compile(BuildRequests.of(detected.buildpack(), app, cache("layout"), Map.of(), out::add));

        assertEquals(List.of("Procfile", "example", "greeting.txt", "lib"), listing(app));
        assertTrue(Files.isRegularFile(app.resolve("example/Hello.class")));
        assertEquals("hello from a resource\n", Files.readString(app.resolve("greeting.txt")));
        assertEquals(List.of("aws-lambda-java-core-1.2.3.jar"), listing(app.resolve("lib")));
        try (Stream<Path> files = Files.walk(app)) {
            assertFalse(files.anyMatch(path -> path.toString().endsWith(".java") || path.endsWith("HelloTest.class")),
                    "no sources and no test classes ship");
        }
        assertTrue(out.contains("-----> Building with Maven"), out.toString());
        assertTrue(out.contains("       1 class files; lib/: 1 jars"), out.toString());
        assertFalse(out.contains("-----> Using Maven cache"), "a first build has no cache: " + out);
        assertTrue(out.stream().filter(line -> !line.startsWith("-----> ")).allMatch(line -> line.startsWith("       ")),
                "Maven's output is indented under the heading: " + out);
    }

    @Test
    void buildingTheSameAppColdAndThenWarmGivesTheSameArtifact() throws Exception {
        Path cache = cache("shared");
        Path first = app("first");
        Path second = app("second");
        builder.compile(BuildRequests.of(java(first), first, cache, Map.of(), line -> { }));
        Thread.sleep(1100);  // file times differ by at least a second
        List<String> out = new ArrayList<>();
        builder.compile(BuildRequests.of(java(second), second, cache, Map.of(), out::add));

        assertTrue(out.contains("-----> Using Maven cache"), out.toString());
        ArtifactPacker packer = new ArtifactPacker(ArtifactPacker.LAMBDA_UNZIPPED_LIMIT);
        PackedArtifact one = packer.pack(first, temp.resolve("first.zip"), line -> { });
        PackedArtifact two = packer.pack(second, temp.resolve("second.zip"), line -> { });
        assertEquals(one.sha256(), two.sha256());
    }

    @Test
    void aCompileErrorFailsTheBuildAndShowsJavacsMessage() throws Exception {
        Path app = app("broken");
        Files.writeString(app.resolve("src/main/java/example/Hello.java"), HELLO.replace("\"hello \"", "greeting"));
        List<String> out = new ArrayList<>();
        BuildFailedException e = assertThrows(BuildFailedException.class,
                () -> builder.compile(BuildRequests.of(java(app), app, cache("broken"), Map.of(), out::add)));

        assertTrue(e.getMessage().startsWith("Build failed: java bin/compile exited with status 1"), e.getMessage());
        String javacError = "       [ERROR] src/main/java/example/Hello.java:[10,16] cannot find symbol";
        assertTrue(out.contains(javacError), out.toString());
        assertTrue(out.contains(" !     mvn compile failed: fix the errors above."), out.toString());
        assertTrue(e.lastLines().contains(javacError), e.lastLines().toString());
        assertFalse(out.stream().anyMatch(line -> line.contains("[Help 1]") || line.contains("\u001b[")),
                "Maven's boilerplate and colour codes are left out: " + out);
    }

    @Test
    void aDependencyThatDoesNotExistFailsTheBuildNamingIt() throws Exception {
        Path app = app("missing-dependency");
        Files.writeString(app.resolve("pom.xml"), MavenPom.withDependencies("dev.laambda.nosuch:no-such-library:9.9.9"));
        List<String> out = new ArrayList<>();
        assertThrows(BuildFailedException.class,
                () -> builder.compile(BuildRequests.of(java(app), app, cache("missing-dependency"), Map.of(), out::add)));

        assertTrue(out.stream().anyMatch(line -> line.contains("dev.laambda.nosuch:no-such-library")), out.toString());
        assertTrue(out.contains(" !     mvn compile failed: fix the errors above."), out.toString());
    }

    @Test
    void aJavaAppWithoutAProcfileIsOfferedNoDefaultHandler() throws Exception {
        Path app = app("no-procfile");
        Files.delete(app.resolve("Procfile"));
        assertEquals(Optional.of(Map.of()), buildpacks.defaultProcessTypes(java(app), app));
    }

    private Buildpack java(Path app) {
        return buildpacks.detect(app, Optional.empty(), line -> { }).buildpack();
    }

    private Path app(String name) throws Exception {
        Path app = Files.createDirectories(temp.resolve(name));
        Files.writeString(app.resolve("pom.xml"), POM);
        Files.writeString(app.resolve("Procfile"), "hello: example.Hello::handleRequest\n");
        Files.createDirectories(app.resolve("src/main/java/example"));
        Files.writeString(app.resolve("src/main/java/example/Hello.java"), HELLO);
        Files.createDirectories(app.resolve("src/main/resources"));
        Files.writeString(app.resolve("src/main/resources/greeting.txt"), "hello from a resource\n");
        Files.createDirectories(app.resolve("src/test/java/example"));
        Files.writeString(app.resolve("src/test/java/example/HelloTest.java"), "package example;\nclass HelloTest {}\n");
        return app;
    }

    private Path cache(String name) throws Exception {
        return Files.createDirectories(temp.resolve("cache-" + name));
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
