package dev.laambda.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AppResolverTest {

    @TempDir
    Path repo;

    @Test
    void theAppComesFromTheLaambdaGitRemote() throws Exception {
        git("init", "-q");
        git("remote", "add", "laambda", "ssh://git@localhost:2222/demo.git");

        assertEquals("demo", new AppResolver(new Git(repo)).resolve(null));
    }

    @Test
    void theRemoteIsFoundFromASubdirectoryOfTheRepo() throws Exception {
        git("init", "-q");
        git("remote", "add", "laambda", "ssh://git@localhost:2222/demo.git");
        Path subdirectory = Files.createDirectories(repo.resolve("src/app"));

        assertEquals("demo", new AppResolver(new Git(subdirectory)).resolve(null));
    }

    @Test
    void anExplicitAppWinsOverTheRemote() throws Exception {
        git("init", "-q");
        git("remote", "add", "laambda", "ssh://git@localhost:2222/demo.git");

        assertEquals("other", new AppResolver(new Git(repo)).resolve("other"));
    }

    @Test
    void aRepoWithoutALaambdaRemoteGivesTheClearError() throws Exception {
        git("init", "-q");
        git("remote", "add", "origin", "ssh://git@localhost:2222/demo.git");

        CliException error = assertThrows(CliException.class, () -> new AppResolver(new Git(repo)).resolve(null));
        assertEquals("No app specified: use --app NAME or run inside a git repo with a 'laambda' remote.",
                error.getMessage());
    }

    @Test
    void outsideAnyRepoTheCliSaysHowToNameTheApp() {
        CliRun run = CliRun.run(Map.of("HOME", repo.toString(), "LAAMBDA_TOKEN", "lmb_test"), repo, "config");

        assertEquals(1, run.exitCode());
        assertEquals(" !    No app specified: use --app NAME or run inside a git repo with a 'laambda' remote.\n",
                run.err());
    }

    @Test
    void bothRemoteUrlFormsNameTheApp() {
        assertEquals(Optional.of("demo"), AppResolver.appFromRemoteUrl("ssh://git@localhost:2222/demo.git"));
        assertEquals(Optional.of("demo"), AppResolver.appFromRemoteUrl("git@laambda.example.com:demo.git"));
        assertEquals(Optional.of("demo"), AppResolver.appFromRemoteUrl("ssh://git@[::1]:2222/demo"));
        assertEquals(Optional.empty(), AppResolver.appFromRemoteUrl("ssh://git@localhost:2222/"));
    }

    private void git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(repo.toFile()).inheritIO().start();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed");
        }
    }
}
