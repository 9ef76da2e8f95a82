package dev.laambda.git;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;
import dev.laambda.release.Apps;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What an SSH client asked for: git's receive-pack (push) or upload-pack (clone, fetch) on one app's repo. */
record GitRequest(Service service, String appName) {

    enum Service { RECEIVE_PACK, UPLOAD_PACK }

    /** git sends e.g. git-receive-pack '/demo.git'; the quotes and the leading slash are optional. */
    private static final Pattern COMMAND = Pattern.compile("^git[- ](receive-pack|upload-pack) +'?/?([^'\\s]*?)(\\.git)?/?'?$");

    static GitRequest parse(String commandLine) {
        Matcher matcher = COMMAND.matcher(commandLine.trim());
        if (!matcher.matches()) {
            throw LaambdaException.invalid("unsupported_command", "Laambda only speaks git over SSH (git push, git clone): '"
                    + Echo.of(commandLine) + "' is not allowed.");
        }
        String app = matcher.group(2);
        if (!Apps.NAME.matcher(app).matches()) {
            throw LaambdaException.invalid("invalid_app_name", "'" + Echo.of(app)
                    + "' is not an app name: use ssh://git@HOST:PORT/APP.git (see `laambda git:remote`).");
        }
        return new GitRequest(matcher.group(1).equals("receive-pack") ? Service.RECEIVE_PACK : Service.UPLOAD_PACK, app);
    }
}
