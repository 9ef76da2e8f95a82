package dev.laambda.platform.local;

import dev.laambda.Directories;
import dev.laambda.OutputLines;
import dev.laambda.platform.FunctionSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Function instances as processes on the server's host, for machines without Docker. */
public final class HostInstances implements InstanceLauncher {

    private static final Logger log = LoggerFactory.getLogger(HostInstances.class);

    private final RuntimeLauncher launcher;

    public HostInstances(RuntimeLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public String description() {
        return "host processes";
    }

    @Override
    public void checkRunnable(String runtime, Map<String, String> appConfig) {
        launcher.checkRuntime(runtime);
    }

    /** A loopback port: any process on this host can reach it, as any can reach the function's own files. */
    @Override
    public RuntimeApiServer openRuntimeApi() {
        return RuntimeApiServer.start();
    }

    @Override
    public RuntimeProcess start(FunctionSpec spec, Path codeDir, RuntimeApiServer api, Consumer<String> output) {
        RuntimeLauncher.Launch launch = launcher.launch(spec.runtime(), spec.handler(), codeDir);
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("laambda-tmp-" + spec.functionName());
            ProcessBuilder builder = new ProcessBuilder(launch.command()).directory(codeDir.toFile()).redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.clear();
            env.putAll(LambdaEnvironment.of(spec, codeDir.toString(), codeDir.toString(), api.address(), tmp.toString()));
            env.putAll(launch.environment());
            HostProcess process = new HostProcess(builder.start(), tmp);
            process.pump(output, spec.functionName());
            return process;
        } catch (IOException e) {
            if (tmp != null) {
                Directories.deleteTree(tmp);
            }
            throw new UncheckedIOException("Could not start " + spec.functionName() + ": " + e.getMessage(), e);
        }
    }

    /** A runtime process and its private /tmp, removed when the instance stops. */
    private static final class HostProcess implements RuntimeProcess {

        private final Process process;
        private final Path tmp;
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();

        HostProcess(Process process, Path tmp) {
            this.process = process;
            this.tmp = tmp;
            process.onExit().thenAccept(ended -> exit.complete(ended.exitValue()));
        }

        void pump(Consumer<String> output, String functionName) {
            Thread reader = new Thread(() -> {
                OutputLines lines = new OutputLines(output);
                try (InputStream in = process.getInputStream()) {
                    byte[] buffer = new byte[8192];
                    int read;
                    while ((read = in.read(buffer)) != -1) {
                        lines.write(buffer, 0, read);
                    }
                    lines.finish();
                } catch (IOException e) {
                    log.debug("event=instance_output_closed function={}", functionName);
                }
            }, "instance-output-" + functionName);
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        public boolean alive() {
            return process.isAlive();
        }

        @Override
        public CompletableFuture<Integer> exit() {
            return exit;
        }

        @Override
        public long pid() {
            return process.pid();
        }

        /** The process's peak resident memory (VmHWM). */
        @Override
        public long peakMemoryMb() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                log.debug("event=memory_unknown pid={}", process.pid());
            }
            return 0;
        }

        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.onExit().thenRun(() -> Directories.deleteTree(tmp));
        }
    }
}
