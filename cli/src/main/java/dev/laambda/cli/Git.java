package dev.laambda.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The user's real git, run in the working directory with an argument array (never a shell string). */
final class Git {

    private static final long TIMEOUT_SECONDS = 10;

    private final Path workingDir;

    Git(Path workingDir) {
        this.workingDir = workingDir;
    }

    boolean insideRepo() {
        return run("rev-parse", "--is-inside-work-tree").filter(out -> out.equals("true")).isPresent();
    }

    Optional<String> remoteUrl(String remote) {
        return run("config", "--get", "remote." + remote + ".url").filter(out -> !out.isEmpty());
    }

    /** Adds the remote, or points it at {@code url} when it exists already. */
    void setRemote(String remote, String url) {
        boolean exists = remoteUrl(remote).isPresent();
        Optional<String> done = exists ? run("remote", "set-url", remote, url) : run("remote", "add", remote, url);
        if (done.isEmpty()) {
            throw new CliException("git could not " + (exists ? "update" : "add") + " the '" + remote + "' remote.");
        }
    }

    /** The trimmed output of a successful git command; empty when it failed or git is missing. */
    private Optional<String> run(String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder git = new ProcessBuilder(command).directory(workingDir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process process = git.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? Optional.of(output) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
