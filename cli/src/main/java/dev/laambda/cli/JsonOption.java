package dev.laambda.cli;

import picocli.CommandLine.Option;

/** The --json option of every listing: print the server's JSON instead of the table. */
final class JsonOption {

    @Option(names = "--json", description = "Print the server's JSON answer.")
    private boolean requested;

    boolean requested() {
        return requested;
    }
}
