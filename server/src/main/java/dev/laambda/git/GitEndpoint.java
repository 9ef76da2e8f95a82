package dev.laambda.git;

import dev.laambda.LaambdaException;
import dev.laambda.account.SshKeys;
import dev.laambda.release.Apps;
import dev.laambda.release.Deployer;
import dev.laambda.store.App;
import dev.laambda.store.GitRepos;
import dev.laambda.store.User;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.errors.TooLargePackException;
import org.eclipse.jgit.errors.UnpackException;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.ServiceMayNotContinueException;
import org.eclipse.jgit.transport.UnpackErrorHandler;
import org.eclipse.jgit.transport.UploadPack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Serves one git command over SSH: who is asking (by key), may they touch the app, and then
 * JGit's receive-pack (deploying pushes to the app's deploy branch) or upload-pack on the app's repository.
 */
public final class GitEndpoint {

    private static final Logger log = LoggerFactory.getLogger(GitEndpoint.class);
    /** A refused push is still read (git sends its pack first); cap what a stranger may make us read. */
    private static final long REFUSED_PACK_LIMIT = 16L << 20;

    private final SshKeys sshKeys;
    private final Apps apps;
    private final GitRepos repos;
    private final Deployer deployer;
    private final RepositoryLimit repoLimit;
    /** With a shared bucket: each app's repository as a bundle there, for servers that never saw it. */
    private final Optional<RepoBundles> bundles;

    public GitEndpoint(SshKeys sshKeys, Apps apps, GitRepos repos, Deployer deployer, long repoLimitBytes,
                       Optional<RepoBundles> bundles) {
        this.sshKeys = sshKeys;
        this.bundles = bundles;
        this.apps = apps;
        this.repos = repos;
        this.deployer = deployer;
        this.repoLimit = new RepositoryLimit(repoLimitBytes);
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
        bundles.ifPresent(shared -> shared.restoreIfEmpty(app));
        if (request.service() == GitRequest.Service.UPLOAD_PACK) {
            try (Repository repository = repos.open(app)) {
                new UploadPack(repository).upload(in, out, err);
            }
        } else if (receive(app, user, in, out, err)) {
            bundles.ifPresent(shared -> shared.save(app));
        }
        return 0;
    }

    /**
     * Receives a push into the app's repository and deploys its deploy branch. A push none of whose refs
     * was updated (its deploy failed, or it was refused) has its pack deleted afterwards. Returns whether a ref was.
     */
    private boolean receive(App app, User user, InputStream in, OutputStream out, OutputStream err) throws IOException {
        List<ReceiveCommand> handled = new ArrayList<>();
        ReceivedPack pack = new ReceivedPack();
        try (Repository repository = repos.open(app)) {
            Path gitDir = repository.getDirectory().toPath();
            ReceivePack receivePack = new ReceivePack(repository);
            receivePack.setObjectChecker(new PushedTreeChecker());
            receivePack.setAllowNonFastForwards(true);
            receivePack.setRefLogIdent(new PersonIdent(pack.tag(), user.email()));
            receivePack.setMaxPackSizeLimit(repoLimit.remaining(gitDir));
            UnpackErrorHandler reportStatus = receivePack.getUnpackErrorHandler();
            receivePack.setUnpackErrorHandler(error -> {
                explainUnreadablePush(app, error, new PushOutput(receivePack));
                reportStatus.handleUnpackException(error);
            });
            receivePack.setPreReceiveHook((rp, commands) -> {
                pack.find(gitDir);
                handled.addAll(commands);
                deployPushes(rp, commands, repository, app, user);
            });
            receivePack.receive(in, out, err);
        } catch (UnpackException e) {
            // Explained to the client and logged by the handler above; JGit kept none of the pack.
        } finally {
            // After the repository is closed, so JGit holds no open handle on the deleted files.
            if (handled.stream().noneMatch(command -> command.getResult() == ReceiveCommand.Result.OK) && pack.delete()) {
                log.info("event=push_objects_pruned app={}", app.name());
            }
        }
        return handled.stream().anyMatch(command -> command.getResult() == ReceiveCommand.Result.OK);
    }

    /** Says in one line why JGit would not take the pushed objects (a forbidden path, the size limit, …). */
    private void explainUnreadablePush(App app, Throwable error, PushOutput output) {
        Optional<PushedTreeChecker.ForbiddenPathException> forbidden = cause(error, PushedTreeChecker.ForbiddenPathException.class);
        Optional<CorruptObjectException> corrupt = cause(error, CorruptObjectException.class);
        String line;
        String reason;
        if (forbidden.isPresent()) {
            reason = "forbidden_path";
            line = "Push rejected: the path '" + forbidden.get().path() + "' may not be in a git tree (no '.', '..' or"
                    + " '.git' parts): remove it from the pushed history and push again.";
        } else if (cause(error, TooLargePackException.class).isPresent()) {
            reason = "repo_limit";
            line = repoLimit.refusal();
        } else if (corrupt.isPresent()) {
            reason = "corrupt_object";
            line = "Push rejected: a pushed object failed git's checks (" + corrupt.get().getMessage()
                    + "): repair it (`git fsck` shows it) and push again.";
        } else {
            reason = "unreadable";
            line = "The push could not be read: " + error.getMessage();
        }
        log.info("event=push_rejected app={} reason={} error={}", app.name(), reason, error.getClass().getSimpleName());
        try {
            output.accept("!     " + line);
        } catch (java.io.UncheckedIOException gone) {
            log.debug("event=push_client_gone app={}", app.name());
        }
    }

    private static <T extends Throwable> Optional<T> cause(Throwable error, Class<T> type) {
        for (Throwable at = error; at != null; at = at.getCause()) {
            if (type.isInstance(at)) {
                return Optional.of(type.cast(at));
            }
        }
        return Optional.empty();
    }

    private void deployPushes(ReceivePack rp, Collection<ReceiveCommand> commands, Repository repository, App app, User user) {
        PushOutput output = new PushOutput(rp);
        String deployBranch = DeployBranch.of(repository, commands);
        for (ReceiveCommand command : commands) {
            if (command.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED) {
                continue;
            }
            String ref = command.getRefName();
            if (!ref.equals(deployBranch)) {
                if (command.getType() != ReceiveCommand.Type.DELETE) {
                    output.accept("-----> " + DeployBranch.describe(ref) + " stored, not deployed: this app deploys "
                            + Repository.shortenRefName(deployBranch));
                }
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
