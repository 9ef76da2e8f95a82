package dev.laambda.git;

import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The SSH endpoint git talks to: public keys only, git commands only, host key kept in the data directory. */
public final class SshGitServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SshGitServer.class);

    private final SshServer sshd;

    private SshGitServer(SshServer sshd) {
        this.sshd = sshd;
    }

    public static SshGitServer start(String host, int port, Path hostKeyFile, GitEndpoint endpoint) {
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost(host);
        sshd.setPort(port);
        SimpleGeneratorHostKeyProvider hostKey = new SimpleGeneratorHostKeyProvider(hostKeyFile);
        hostKey.setAlgorithm("EC");
        sshd.setKeyPairProvider(hostKey);
        sshd.setPublickeyAuthenticator(new KeyAuthenticator());
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setGSSAuthenticator(null);
        sshd.setHostBasedAuthenticator(null);
        sshd.setCommandFactory((channel, command) -> new GitCommand(command, endpoint));
        sshd.setShellFactory(channel -> new RefusedShell());
        try {
            sshd.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the SSH server on " + host + ":" + port + " (LAAMBDA_SSH_PORT): "
                    + e.getMessage(), e);
        }
        log.info("event=ssh_started port={}", sshd.getPort());
        return new SshGitServer(sshd);
    }

    public int port() {
        return sshd.getPort();
    }

    @Override
    public void close() {
        try {
            sshd.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An interactive login gets one line saying why not, then the channel closes. */
    private static final class RefusedShell implements org.apache.sshd.server.command.Command {
        private java.io.OutputStream err;
        private org.apache.sshd.server.ExitCallback exit;

        @Override
        public void start(org.apache.sshd.server.channel.ChannelSession channel, org.apache.sshd.server.Environment env)
                throws IOException {
            err.write("!     Laambda has no shell: use git push and git clone, and the laambda CLI.\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            err.flush();
            exit.onExit(1);
        }

        @Override
        public void destroy(org.apache.sshd.server.channel.ChannelSession channel) {
        }

        @Override
        public void setInputStream(java.io.InputStream in) {
        }

        @Override
        public void setOutputStream(java.io.OutputStream out) {
        }

        @Override
        public void setErrorStream(java.io.OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(org.apache.sshd.server.ExitCallback callback) {
            this.exit = callback;
        }
    }
}
