package dev.laambda.testing;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An app on a test server and the developer's git repository of it, pushed over SSH with real git and
 * OpenSSH as a person would: their key added, the app created, the files committed, `git push … main`.
 */
public final class TestApp {

    private final RunningServer server;
    private final TestGit developer;
    private final String name;
    private final Path repo;

    private TestApp(RunningServer server, TestGit developer, String name, Path repo) {
        this.server = server;
        this.developer = developer;
        this.name = name;
        this.repo = repo;
    }

    /** Creates the app as the server's admin, with a new developer key, and commits {@code files} (not pushed yet). */
    public static TestApp create(RunningServer server, String name, Map<String, String> files) {
        return createWith(server, name, "{\"name\":\"" + name + "\"}", files);
    }

    /** As {@link #create(RunningServer, String, Map)}, the app pinned to {@code runtime} (apps:create --runtime). */
    public static TestApp create(RunningServer server, String name, String runtime, Map<String, String> files) {
        return createWith(server, name, "{\"name\":\"" + name + "\",\"runtime\":\"" + runtime + "\"}", files);
    }

    /** As {@link #create(RunningServer, String, Map)}, with {@code createBody} as the apps:create request. */
    public static TestApp createWith(RunningServer server, String name, String createBody, Map<String, String> files) {
        TestApi admin = server.admin();
        TestGit developer = TestGit.newDeveloper();
        admin.post("/api/v1/keys", "{\"public_key\":\"" + developer.publicKey() + "\"}");
        assertEquals(201, admin.post("/api/v1/apps", createBody).status(), "creating app " + name);
        return new TestApp(server, developer, name, developer.newRepo(files));
    }

    public TestGit.Result push() {
        return developer.git(repo, "push", "ssh://git@127.0.0.1:" + server.sshPort() + "/" + name + ".git", "main");
    }

    /** Pushes and returns the push's output, failing the test (with that output) if the push was refused. */
    public String pushAccepted() {
        TestGit.Result push = push();
        org.junit.jupiter.api.Assertions.assertTrue(push.ok(), push.output());
        return push.output();
    }

    /**
     * Runs one of the developer's own tools in the repository (`go mod tidy`, `npm install --package-lock-only`)
     * with the host's settings, and returns the file it wrote, for committing.
     */
    public String writtenBy(String file, String... command) {
        try {
            Process tool = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
            String output = new String(tool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!tool.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || tool.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return java.nio.file.Files.readString(repo.resolve(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Commits changes ({@code files}) to the repository, for the next push. */
    public void commit(Map<String, String> files, String message) {
        developer.writeAndCommit(repo, files, message);
    }

    /** Commits {@code path} as executable (a hook such as bin/pre_compile), for the next push. */
    public void makeExecutable(String path) {
        TestGit.require(developer.git(repo, "update-index", "--chmod=+x", path));
        TestGit.require(developer.git(repo, "commit", "-qm", "executable " + path));
    }

    public TestGit developer() {
        return developer;
    }

    public Path repo() {
        return repo;
    }
}
