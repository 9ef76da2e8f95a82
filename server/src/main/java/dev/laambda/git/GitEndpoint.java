package dev.laambda.git;

import dev.laambda.LaambdaException;
import dev.laambda.account.SshKeys;
import dev.laambda.release.Apps;
import dev.laambda.release.Deployer;
import dev.laambda.store.App;
import dev.laambda.store.GitRepos;
import dev.laambda.store.User;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.ServiceMayNotContinueException;
import org.eclipse.jgit.transport.UploadPack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Collection;
import java.util.Set;

/**
 * Serves one git command over SSH: who is asking (by key), may they touch the app, and then
 * JGit's receive-pack (deploying pushes to main) or upload-pack on the app's repository.
 */
public final class GitEndpoint {

    private static final Logger log = LoggerFactory.getLogger(GitEndpoint.class);
    private static final Set<String> DEPLOY_BRANCHES = Set.of("refs/heads/main", "refs/heads/master");
    /** A refused push is still read (git sends its pack first); cap what a stranger may make us read. */
    private static final long REFUSED_PACK_LIMIT = 16L << 20;

    private final SshKeys sshKeys;
    private final Apps apps;
    private final GitRepos repos;
    private final Deployer deployer;

    public GitEndpoint(SshKeys sshKeys, Apps apps, GitRepos repos, Deployer deployer) {
        this.sshKeys = sshKeys;
        this.apps = apps;
        this.repos = repos;
        this.deployer = deployer;
    }

    /** Runs the command; returns the exit status for the SSH channel. */
    int serve(String commandLine, PublicKey key, InputStream in, OutputStream out, OutputStream err) throws IOException {
        GitRequest request;
        try {
            request = GitRequest.parse(commandLine);
        } catch (LaambdaException e) {
            err.write(("!     " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
            return 1;
        }
        User user;
        App app;
        try {
            user = sshKeys.owner(key).orElseThrow(() -> LaambdaException.unauthorized("Unknown SSH key "
                    + SshKeys.fingerprint(key) + ": add it with `laambda keys:add`."));
            app = request.service() == GitRequest.Service.RECEIVE_PACK ? apps.getToRun(user, request.appName())
                    : apps.get(user, request.appName());
        } catch (LaambdaException e) {
            log.info("event=git_refused service={} app={} code={}", request.service(), request.appName(), e.code());
            refuse(request, e.getMessage(), in, out, err);
            return 0;
        }
        log.info("event=git_request service={} app={} user={}", request.service(), app.name(), user.email());
        try (Repository repository = repos.open(app)) {
            if (request.service() == GitRequest.Service.UPLOAD_PACK) {
                new UploadPack(repository).upload(in, out, err);
            } else {
                receive(repository, app, user, in, out, err);
            }
        }
        return 0;
    }

    private void receive(Repository repository, App app, User user, InputStream in, OutputStream out, OutputStream err)
            throws IOException {
        ReceivePack receivePack = new ReceivePack(repository);
        receivePack.setCheckReceivedObjects(true);
        receivePack.setAllowNonFastForwards(true);
        receivePack.setPreReceiveHook((rp, commands) -> deployPushes(rp, commands, repository, app, user));
        receivePack.receive(in, out, err);
    }

    private void deployPushes(ReceivePack rp, Collection<ReceiveCommand> commands, Repository repository, App app, User user) {
        PushOutput output = new PushOutput(rp);
        for (ReceiveCommand command : commands) {
            if (command.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED) {
                continue;
            }
            String branch = command.getRefName();
            if (!DEPLOY_BRANCHES.contains(branch)) {
                output.accept("-----> Stored " + branch.replaceFirst("^refs/heads/", "branch ")
                        + ": not deployed (only main or master is deployed).");
                continue;
            }
            if (command.getType() == ReceiveCommand.Type.DELETE) {
                output.accept("!     The deployed branch cannot be deleted.");
                command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "deployed branch");
                continue;
            }
            try {
                deployer.deploy(app, command.getNewId().name(), user, new GitSourceTree(repository, command), output);
            } catch (LaambdaException e) {
                command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "deploy failed");
            }
        }
    }

    /**
     * Tells the client why it may not proceed, in git's own channels and without writing anything:
     * a push is taken into a throwaway in-memory repository and every ref update refused with the reason.
     */
    private static void refuse(GitRequest request, String reason, InputStream in, OutputStream out, OutputStream err)
            throws IOException {
        try (Repository scratch = new InMemoryRepository(new DfsRepositoryDescription("refused"))) {
            if (request.service() == GitRequest.Service.UPLOAD_PACK) {
                UploadPack upload = new UploadPack(scratch);
                upload.setAdvertiseRefsHook(new org.eclipse.jgit.transport.AdvertiseRefsHook() {
                    @Override
                    public void advertiseRefs(UploadPack uploadPack) throws ServiceMayNotContinueException {
                        throw new ServiceMayNotContinueException(reason);
                    }

                    @Override
                    public void advertiseRefs(ReceivePack receivePack) {
                    }
                });
                upload.upload(in, out, err);
                return;
            }
            ReceivePack receivePack = new ReceivePack(scratch);
            receivePack.setMaxPackSizeLimit(REFUSED_PACK_LIMIT);
            receivePack.setPreReceiveHook((rp, commands) -> {
                new PushOutput(rp).accept("!     " + reason);
                commands.forEach(c -> c.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "access refused"));
            });
            receivePack.receive(in, out, err);
        } catch (ServiceMayNotContinueException e) {
            log.debug("event=git_refused_upload reason_sent=true");
        }
    }
}
