package dev.laambda.git;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;

/** One SSH exec request, run on its own thread: a git command for GitEndpoint, or a one-line refusal. */
final class GitCommand implements Command {

    private static final Logger log = LoggerFactory.getLogger(GitCommand.class);

    private final String commandLine;
    private final GitEndpoint endpoint;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;

    GitCommand(String commandLine, GitEndpoint endpoint) {
        this.commandLine = commandLine;
        this.endpoint = endpoint;
    }

    @Override
    public void start(ChannelSession channel, Environment environment) {
        PublicKey key = channel.getSession().getAttribute(KeyAuthenticator.CLIENT_KEY);
        Thread thread = new Thread(() -> run(key), "git-" + channel.getSession().getIoSession().getId());
        thread.setDaemon(true);
        thread.start();
    }

    private void run(PublicKey key) {
        int status = 1;
        try {
            status = endpoint.serve(commandLine, key, in, out, err);
        } catch (Exception e) {
            log.error("event=git_command_failed", e);
            try {
                err.write("!     The server failed during this git command; see its log.\n".getBytes(StandardCharsets.UTF_8));
                err.flush();
            } catch (Exception ignored) {
                // The client is gone; the failure is logged above.
            }
        } finally {
            try {
                out.flush();
                err.flush();
            } catch (Exception e) {
                log.debug("event=git_flush_failed error={}", e.getMessage());
            }
            exit.onExit(status);
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        // The command thread ends when its streams close.
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }
}
