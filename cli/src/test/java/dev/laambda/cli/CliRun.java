package dev.laambda.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** One in-process run of the CLI, as a test sees it: exit code, stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(Map<String, String> env, Path cwd, String... args) {
        return runWithInput("", env, cwd, args);
    }

    static CliRun runWithInput(String stdin, Map<String, String> env, Path cwd, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = LaambdaCli.run(args, env, cwd, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
