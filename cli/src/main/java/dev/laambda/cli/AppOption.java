package dev.laambda.cli;

import picocli.CommandLine.Option;

/** The --app/-a option of every command about one app; without it the 'laambda' git remote tells the app. */
final class AppOption {

    @Option(names = {"-a", "--app"}, paramLabel = "APP",
            description = "The app (default: from the 'laambda' git remote of the current directory).")
    private String name;

    String name() {
        return name;
    }
}
