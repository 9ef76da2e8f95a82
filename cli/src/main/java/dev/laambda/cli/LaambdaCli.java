package dev.laambda.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * The {@code laambda} command: wires every subcommand, runs one command line and turns any failure into
 * one {@code  !    message} line on stderr and exit code 1.
 */
@Command(name = "laambda", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = LaambdaCli.VersionProvider.class,
        description = "The command-line client of a Laambda server: apps, config, releases and access.",
        subcommands = CommandLine.HelpCommand.class)
public final class LaambdaCli implements Callable<Integer> {

    static final String ERROR_PREFIX = " !    ";

    private static final Pattern TOKEN = Pattern.compile("lmb_[A-Za-z0-9_\\-]+");

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        int exitCode = run(args, System.getenv(), Path.of("").toAbsolutePath(), System.in, System.out, System.err,
                System.console());
        System.exit(exitCode);
    }

    /** Runs one command line in-process with empty standard input; returns the exit code. */
    public static int run(String[] args, Map<String, String> env, Path cwd, PrintStream out, PrintStream err) {
        return run(args, env, cwd, InputStream.nullInputStream(), out, err, null);
    }

    /** Runs one command line in-process; returns the exit code (0 success, 1 any error). */
    public static int run(String[] args, Map<String, String> env, Path cwd, InputStream in, PrintStream out,
                          PrintStream err) {
        return run(args, env, cwd, in, out, err, null);
    }

    private static int run(String[] args, Map<String, String> env, Path cwd, InputStream in, PrintStream out,
                           PrintStream err, java.io.Console console) {
        CliContext context = new CliContext(env, cwd, in, out, err, console);
        CommandLine cli = commandLine(context);
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cli.setExecutionExceptionHandler(LaambdaCli::executionFailed);
        cli.setParameterExceptionHandler(LaambdaCli::usageError);
        int exitCode = cli.execute(args);
        out.flush();
        err.flush();
        return exitCode;
    }

    /** Every command, group by group, in the order `laambda help` lists them. */
    static CommandLine commandLine(CliContext context) {
        CommandLine cli = new CommandLine(new LaambdaCli());
        cli.setExpandAtFiles(false); // `invoke --data @event.json` reads the file itself, as the AWS CLI does
        List<Object> commands = new ArrayList<>();
        commands.addAll(AuthCommands.all(context));
        commands.addAll(AppsCommands.all(context));
        commands.addAll(AccessCommands.all(context));
        commands.addAll(ConfigCommands.all(context));
        commands.addAll(ReleasesCommands.all(context));
        commands.addAll(ResourceCommands.all(context));
        commands.addAll(EventSourcesCommands.all(context));
        commands.addAll(BuildsCommands.all(context));
        commands.add(new InvokeCommand(context));
        commands.add(new LogsCommand(context));
        commands.add(new MetricsCommand(context));
        commands.addAll(DrainsCommands.all(context));
        commands.addAll(KeysCommands.all(context));
        commands.addAll(TokensCommands.all(context));
        commands.forEach(cli::addSubcommand);
        return cli;
    }

    /** Without a subcommand: the usage, listing every command. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    static String version() {
        String version = LaambdaCli.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** The one stderr line of an error: Heroku's ` !    ` prefix, no line breaks, never a token. */
    static String errorLine(String message) {
        String oneLine = (message == null ? "Unknown error" : message).replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return ERROR_PREFIX + TOKEN.matcher(oneLine).replaceAll("lmb_…");
    }

    private static int executionFailed(Exception failure, CommandLine command, ParseResult parsed) {
        String message = failure instanceof CliException ? failure.getMessage() : "Unexpected error: " + failure;
        command.getErr().println(errorLine(message));
        return 1;
    }

    private static int usageError(ParameterException failure, String[] args) {
        CommandLine command = failure.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(errorLine(failure.getMessage()));
        UnmatchedArgumentException.printSuggestions(failure, err);
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        return 1;
    }

    /** The version in the jar's manifest (set by the build), "dev" when run from classes. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"laambda-cli " + version()};
        }
    }
}
