package dev.laambda.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalBuilderTest {

    /** The server's own environment, as System.getenv() would give it: secrets next to index settings. */
    private static final Map<String, String> SERVER_ENVIRONMENT = Map.of(
            "PATH", "/usr/local/bin:/usr/bin:/bin",
            "HOME", "/root",
            "LAAMBDA_MASTER_KEY", "master-key-never-in-builds",
            "DATABASE_URL", "postgres://laambda:pw@db/laambda",
            "AWS_SECRET_ACCESS_KEY", "aws-secret-never-in-builds",
            "PIP_INDEX_URL", "https://pypi.mirror.corp/simple",
            "npm_config_registry", "https://npm.mirror.corp/",
            "GOPROXY", "https://go.mirror.corp",
            "HTTPS_PROXY", "http://proxy.corp:3128");

    @TempDir
    Path temp;

    @Test
    void compileRunsWithTheBuildDirCacheDirAndAnEnvDirHoldingTheConfigAndTheRuntime() throws Exception {
        Buildpack tiny = buildpack("tiny", """
                build="$1" cache="$2" env="$3"
                echo "-----> Building in $(pwd)"
                echo "hello from compile" > "$build/built.txt"
                echo "cached" > "$cache/warm"
                echo "       GREETING is $(cat "$env/GREETING")"
                echo "       building for $(cat "$env/LAAMBDA_RUNTIME")"
                echo "       files in ENV_DIR: $(ls "$env" | tr '\\n' ' ')"
                echo "ENV_DIR=$env"
                """);
        Path app = Files.createDirectories(temp.resolve("app"));
        Path cache = Files.createDirectories(temp.resolve("cache"));
        List<String> out = new ArrayList<>();

        builder(Duration.ofMinutes(1)).compile(BuildRequests.of(tiny, app, cache,
                Map.of("GREETING", "hi there", "LANG_LEVEL", "2"), out::add));

        assertEquals("-----> Building in " + app, out.get(0));
        assertEquals("hello from compile\n", Files.readString(app.resolve("built.txt")));
        assertEquals("cached\n", Files.readString(cache.resolve("warm")));
        assertTrue(out.contains("       GREETING is hi there"), out.toString());
        assertTrue(out.contains("       building for provided.al2023"), out.toString());
        assertTrue(out.contains("       files in ENV_DIR: GREETING LAAMBDA_RUNTIME LANG_LEVEL "), out.toString());
        Path envDir = Path.of(out.get(out.size() - 1).substring("ENV_DIR=".length()));
        assertFalse(Files.exists(envDir), "the env dir, which holds config values, is deleted afterwards");
    }

    @Test
    void theBuildSeesTheIndexAndProxySettingsButNoneOfTheServersSecrets() throws Exception {
        Buildpack printer = buildpack("printer", "env | sort");
        List<String> out = new ArrayList<>();
        builder(Duration.ofMinutes(1)).compile(BuildRequests.of(printer, Files.createDirectories(temp.resolve("app")), temp,
                Map.of(), out::add));

        assertTrue(out.contains("PIP_INDEX_URL=https://pypi.mirror.corp/simple"), out.toString());
        assertTrue(out.contains("npm_config_registry=https://npm.mirror.corp/"), out.toString());
        assertTrue(out.contains("GOPROXY=https://go.mirror.corp"), out.toString());
        assertTrue(out.contains("HTTPS_PROXY=http://proxy.corp:3128"), out.toString());
        assertTrue(out.contains("HOME=/root"), out.toString());
        assertTrue(out.contains("STACK=laambda-local"), out.toString());
        assertTrue(out.contains("LAAMBDA_BUILDER=local"), out.toString());
        String all = String.join("\n", out);
        assertFalse(all.contains("LAAMBDA_MASTER_KEY") || all.contains("master-key-never-in-builds"), all);
        assertFalse(all.contains("DATABASE_URL") || all.contains("postgres://"), all);
        assertFalse(all.contains("AWS_SECRET_ACCESS_KEY"), all);
    }

    /** The script waits for the test to have seen its first line before printing more: buffered output would hang it. */
    @Test
    void outputStreamsLineByLineInOrderWhileTheBuildRuns() throws Exception {
        Path seen = temp.resolve("first-line-seen");
        Buildpack chatty = buildpack("chatty", """
                echo "-----> Step one"
                for i in $(seq 1 100); do [ -e '%s' ] && break; sleep 0.1; done
                [ -e '%s' ] || { echo "nobody read the first line"; exit 9; }
                for i in $(seq 1 50); do echo "       line $i"; done
                echo "stderr is shown too" >&2
                """.formatted(seen, seen));
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        builder(Duration.ofMinutes(1)).compile(BuildRequests.of(chatty, Files.createDirectories(temp.resolve("app")), temp,
                Map.of(), line -> {
            out.add(line);
            if (line.equals("-----> Step one")) {
                touch(seen);
            }
        }));
        List<String> expected = new ArrayList<>(List.of("-----> Step one"));
        IntStream.rangeClosed(1, 50).forEach(i -> expected.add("       line " + i));
        expected.add("stderr is shown too");
        assertEquals(expected, out);
    }

    @Test
    void aFailingCompileIsABuildFailureThatKeepsItsLastTwentyLines() throws Exception {
        Buildpack failing = buildpack("failing", """
                for i in $(seq 1 30); do echo "line $i"; done
                echo "ERROR: something broke" >&2
                exit 3
                """);
        BuildFailedException e = assertThrows(BuildFailedException.class, () -> builder(Duration.ofMinutes(1))
                .compile(BuildRequests.of(failing, Files.createDirectories(temp.resolve("app")), temp, Map.of(),
                        line -> { })));
        assertEquals("build_failed", e.code());
        assertEquals("Build failed: failing bin/compile exited with status 3.", e.getMessage());
        List<String> expected = new ArrayList<>();
        IntStream.rangeClosed(12, 30).forEach(i -> expected.add("line " + i));
        expected.add("ERROR: something broke");
        assertEquals(expected, e.lastLines());
    }

    @Test
    void aCompileThatOverrunsItsTimeIsKilledWithEveryProcessItStarted() throws Exception {
        Path pids = temp.resolve("pids");
        Buildpack slow = buildpack("slow", """
                echo "-----> Taking forever"
                sleep 300 &
                echo $! > '%s'
                bash -c 'sleep 300' &
                echo $! >> '%s'
                echo $$ >> '%s'
                wait
                """.formatted(pids, pids, pids));
        long started = System.nanoTime();
        BuildFailedException e = assertThrows(BuildFailedException.class, () -> builder(Duration.ofSeconds(2))
                .compile(BuildRequests.of(slow, Files.createDirectories(temp.resolve("app")), temp, Map.of(),
                        line -> { })));
        double seconds = (System.nanoTime() - started) / 1e9;

        assertEquals("Build timed out after 2 s: slow bin/compile was stopped (LAAMBDA_BUILD_TIMEOUT).", e.getMessage());
        assertEquals("build_failed", e.code());
        // bash may still report its killed children ("line 8: 9897 Killed") before it is killed itself
        assertEquals("-----> Taking forever", e.lastLines().get(0));
        assertTrue(seconds < 10, "stopped after " + seconds + " s");
        List<String> killed = Files.readAllLines(pids);
        assertEquals(3, killed.size());
        for (String pid : killed) {
            assertFalse(stillRunning(Long.parseLong(pid.trim())), "process " + pid + " is still running");
        }
    }

    @Test
    void aBackgroundProcessLeftBehindDoesNotHoldTheBuildOpen() throws Exception {
        Path pid = temp.resolve("pid");
        Buildpack leaky = buildpack("leaky", """
                sleep 300 &
                echo $! > '%s'
                sleep 0.5
                echo "-----> Done, but a child still holds the output open"
                """.formatted(pid));
        long started = System.nanoTime();
        builder(Duration.ofSeconds(30)).compile(BuildRequests.of(leaky, Files.createDirectories(temp.resolve("app")), temp,
                Map.of(), line -> { }));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(seconds < 10, "returned after " + seconds + " s");
        assertFalse(stillRunning(Long.parseLong(Files.readString(pid).trim())));
    }

    @Test
    void aClientThatHangsUpDoesNotStallTheBuild() throws Exception {
        Buildpack loud = buildpack("loud", "for i in $(seq 1 20000); do echo \"line $i of a long build\"; done");
        builder(Duration.ofSeconds(30)).compile(BuildRequests.of(loud, Files.createDirectories(temp.resolve("app")), temp,
                Map.of(), line -> {
            throw new IllegalStateException("the git client went away");
        }));
    }

    @Test
    void itSaysItRunsOnTheHost() {
        assertTrue(builder(Duration.ofMinutes(1)).description().contains("no Docker"));
    }

    @Test
    void aBuildThatFillsItsDiskQuotaIsStoppedAndItsTemporaryFilesGo() throws Exception {
        Buildpack greedy = buildpack("greedy", """
                echo "-----> Filling the disk"
                echo "$TMPDIR" > '%s'
                i=0
                while true; do head -c 4194304 /dev/zero > "$TMPDIR/fill$i"; i=$((i+1)); sleep 0.05; done
                """.formatted(temp.resolve("tmpdir")));
        Path app = Files.createDirectories(temp.resolve("app"));
        Path cache = Files.createDirectories(temp.resolve("cache"));
        BuildFailedException e = assertThrows(BuildFailedException.class, () -> new LocalBuilder(
                new BuildEnvironment(SERVER_ENVIRONMENT), new BuildLimits(Duration.ofMinutes(1), 20L << 20))
                .compile(BuildRequests.of(greedy, app, cache, Map.of(), line -> { })));

        assertEquals("Build used more than 20 MB of disk: greedy bin/compile was stopped (LAAMBDA_BUILD_DISK; "
                + "`laambda builds:cache:clear` empties the app's build cache).", e.getMessage());
        assertEquals("-----> Filling the disk", e.lastLines().get(0));
        Path tmpdir = Path.of(Files.readString(temp.resolve("tmpdir")).trim());
        assertEquals(temp, tmpdir.getParent(), "the build's TMPDIR is beside its build directory");
        assertFalse(Files.exists(tmpdir), "and removed with what it held");
    }

    private LocalBuilder builder(Duration timeout) {
        return new LocalBuilder(new BuildEnvironment(SERVER_ENVIRONMENT), new BuildLimits(timeout, 1L << 30));
    }

    private Buildpack buildpack(String name, String compileBody) throws Exception {
        Path dir = Files.createDirectories(temp.resolve("buildpacks").resolve(name).resolve("bin")).getParent();
        Path compile = dir.resolve("bin").resolve("compile");
        Files.writeString(compile, "#!/usr/bin/env bash\n" + compileBody);
        Files.setPosixFilePermissions(compile, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new Buildpack(name, dir, "provided.al2023");
    }

    private static boolean stillRunning(long pid) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                Thread.sleep(100);
            } else {
                return false;
            }
        }
        return true;
    }

    private static void touch(Path file) {
        try {
            Files.createFile(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
