package dev.laambda.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.Callable;

/** invoke: run a function once, like `aws lambda invoke`, and print what it returned. */
@Command(name = "invoke", description = "Invoke a function of the app's current release and print its result.")
final class InvokeCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(paramLabel = "ENTRY", description = "The Procfile entry, e.g. web.")
    private String entry;

    @Option(names = {"-d", "--data"}, paramLabel = "JSON|@FILE", description = "The event (default: {}).")
    private String data = "{}";

    @Option(names = "--log", description = "Also print the invocation's log (START ... REPORT) on stderr.")
    private boolean log;

    @Mixin
    private AppOption appOption;

    InvokeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String app = context.app(appOption);
        ApiClient.Invocation answer = context.api().invoke(ApiClient.path("apps", app, "functions", entry, "invoke"), event());
        context.out().println(answer.payload());
        if (log) {
            context.err().print(answer.log());
        }
        if (answer.functionError() != null) {
            throw new CliException("The function failed (" + answer.functionError() + "): see the error above"
                    + (log ? "." : ", and --log for its output."));
        }
        return 0;
    }

    private String event() {
        if (!data.startsWith("@")) {
            return data;
        }
        try {
            return Files.readString(context.workingDir().resolve(data.substring(1)));
        } catch (IOException e) {
            throw new CliException("Cannot read the event file " + data.substring(1) + ": " + e.getMessage() + ".");
        }
    }
}
