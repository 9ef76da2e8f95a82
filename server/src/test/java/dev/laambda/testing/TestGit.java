package dev.laambda.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A developer at a terminal: their own SSH key (made by ssh-keygen), an empty known_hosts, and the real
 * `git` and `ssh` binaries, with GIT_SSH_COMMAND pointing at the throwaway key.
 */
public final class TestGit {

    private final Path home;
    private final Path key;
    private final Path knownHosts;

    private TestGit(Path home, Path key, Path knownHosts) {
        this.home = home;
        this.key = key;
        this.knownHosts = knownHosts;
    }

    /** A result of running a command: its exit status and everything it printed (stdout and stderr together). */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    public static TestGit newDeveloper() {
        try {
            Path home = Files.createTempDirectory("laambda-dev");
            Path key = home.resolve("id_ed25519");
            TestGit git = new TestGit(home, key, home.resolve("known_hosts"));
            Result keygen = git.run(home, List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "dev@laambda.test",
                    "-f", key.toString()));
            if (!keygen.ok()) {
                throw new IllegalStateException("ssh-keygen failed: " + keygen.output());
            }
            return git;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String publicKey() {
        try {
            return Files.readString(Path.of(key + ".pub")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path home() {
        return home;
    }

    /** A new git repository holding {@code files} (path → content), committed on branch main. */
    public Path newRepo(Map<String, String> files) {
        try {
            Path repo = Files.createTempDirectory(home, "app");
            git(repo, "init", "-q", "-b", "main");
            writeAndCommit(repo, files, "first");
            return repo;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeAndCommit(Path repo, Map<String, String> files, String message) {
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = repo.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
            require(git(repo, "add", "-A"));
            require(git(repo, "commit", "-q", "--allow-empty", "-m", message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String headSha(Path repo) {
        return require(git(repo, "rev-parse", "HEAD")).output().trim();
    }

    public Result git(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        return run(dir, command);
    }

    /** Git with {@code input} on its standard input (`git mktree`, `git hash-object --stdin`). */
    public Result gitWithInput(Path dir, String input, String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        return run(dir, command, input);
    }

    /** The real ssh client, as a person would type it. */
    public Result ssh(int port, String... remoteCommand) {
        List<String> command = new ArrayList<>(List.of("ssh", "-p", String.valueOf(port), "-i", key.toString(),
                "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=accept-new",
                "-o", "UserKnownHostsFile=" + knownHosts, "git@127.0.0.1"));
        command.addAll(List.of(remoteCommand));
        return run(home, command);
    }

    public static Result require(Result result) {
        if (!result.ok()) {
            throw new IllegalStateException("Command failed (" + result.exitCode() + "): " + result.output());
        }
        return result;
    }

    private Result run(Path dir, List<String> command) {
        return run(dir, command, "");
    }

    private Result run(Path dir, List<String> command, String input) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.putAll(gitEnvironment());
            Process process = builder.start();
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out: " + command);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> gitEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_AUTHOR_NAME", "Dev");
        env.put("GIT_AUTHOR_EMAIL", "dev@laambda.test");
        env.put("GIT_COMMITTER_NAME", "Dev");
        env.put("GIT_COMMITTER_EMAIL", "dev@laambda.test");
        env.put("GIT_SSH_COMMAND", "ssh -i " + key + " -o IdentitiesOnly=yes -o BatchMode=yes"
                + " -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=" + knownHosts);
        return env;
    }
}
