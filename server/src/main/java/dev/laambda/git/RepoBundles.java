package dev.laambda.git;

import dev.laambda.bucket.AppObjects;
import dev.laambda.bucket.S3Objects;
import dev.laambda.store.App;
import dev.laambda.store.GitRepos;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.BundleWriter;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportBundleStream;
import org.eclipse.jgit.transport.URIish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A git bundle of each app's repository in the shared bucket (apps/ID/repo.bundle), written after every push that
 * updated a ref: a server that never saw the app's repository (a new one behind the balancer) fetches it from there
 * before its first git command for the app, instead of having the whole history pushed to it or, for a clone,
 * having none. The bundle is a head start, not the truth: a push carries whatever objects the server still
 * lacks, so a bundle a little behind costs only bytes. Nothing here fails a git command: a failure is one log line.
 */
public final class RepoBundles {

    private static final Logger log = LoggerFactory.getLogger(RepoBundles.class);
    private static final List<RefSpec> EVERY_BRANCH_AND_TAG = List.of(
            new RefSpec("+" + Constants.R_HEADS + "*:" + Constants.R_HEADS + "*"),
            new RefSpec("+" + Constants.R_TAGS + "*:" + Constants.R_TAGS + "*"));

    private final S3Objects bucket;
    private final GitRepos repos;
    /** Bundles larger than this (the repository limit, LAAMBDA_REPO_LIMIT) are neither uploaded nor fetched. */
    private final long limitBytes;

    public RepoBundles(S3Objects bucket, GitRepos repos, long limitBytes) {
        this.bucket = bucket;
        this.repos = repos;
        this.limitBytes = limitBytes;
    }

    /**
     * Before a git command: fills the app's repository from the bucket's bundle when this server's copy has no
     * branch or tag at all (it never saw a push of the app) and the bucket has one. Restores run one at a time per
     * server, so two first commands for an app fetch it once; a repository with refs costs no lock and no S3 call.
     */
    void restoreIfEmpty(App app) {
        try (Repository repository = repos.open(app)) {
            if (!refs(repository).isEmpty()) {
                return;
            }
        } catch (Exception e) {
            log.warn("event=repo_restore_failed app_id={} error=\"{}\"", app.id(), S3Objects.logValue(e));
            return;
        }
        restore(app);
    }

    private synchronized void restore(App app) {
        Path download = null;
        try (Repository repository = repos.open(app)) {
            if (!refs(repository).isEmpty()) {
                return;
            }
            String key = AppObjects.bundle(app.id());
            Optional<S3Objects.Stored> stored = bucket.head(key);
            if (stored.isEmpty()) {
                return;
            }
            if (stored.get().bytes() > limitBytes) {
                log.info("event=repo_not_restored app_id={} reason=too_large bytes={} limit_bytes={}", app.id(),
                        stored.get().bytes(), limitBytes);
                return;
            }
            download = scratchFile(repository);
            Files.delete(download);
            bucket.download(key, download);
            FetchResult fetched;
            try (InputStream in = Files.newInputStream(download);
                 Transport transport = new TransportBundleStream(repository, new URIish(bucket.uri(key)), in)) {
                transport.setTagOpt(TagOpt.NO_TAGS);
                // The bucket is ours, but a bundle is held to the same rules as a push.
                transport.setObjectChecker(new PushedTreeChecker());
                fetched = transport.fetch(NullProgressMonitor.INSTANCE, EVERY_BRANCH_AND_TAG);
            }
            pointHeadAtADeployBranch(repository);
            log.info("event=repo_restored app_id={} bytes={} refs={}", app.id(), stored.get().bytes(),
                    fetched.getTrackingRefUpdates().size());
        } catch (Exception e) {
            log.warn("event=repo_restore_failed app_id={} error=\"{}\"", app.id(), S3Objects.logValue(e));
        } finally {
            deleteQuietly(download);
        }
    }

    /** After a push that updated a ref: the repository's every branch and tag, as one bundle in the bucket. */
    void save(App app) {
        Path bundle = null;
        try (Repository repository = repos.open(app)) {
            List<Ref> refs = refs(repository);
            if (refs.isEmpty()) {
                return;
            }
            BundleWriter writer = new BundleWriter(repository);
            refs.forEach(ref -> writer.include(ref.getName(), ref.getObjectId()));
            bundle = scratchFile(repository);
            try (OutputStream out = Files.newOutputStream(bundle)) {
                writer.writeBundle(NullProgressMonitor.INSTANCE, out);
            }
            long bytes = Files.size(bundle);
            if (bytes > limitBytes) {
                log.info("event=repo_bundle_not_saved app_id={} reason=too_large bytes={} limit_bytes={}", app.id(),
                        bytes, limitBytes);
                return;
            }
            bucket.upload(AppObjects.bundle(app.id()), bundle, "application/octet-stream");
            log.info("event=repo_bundle_saved app_id={} bytes={} refs={}", app.id(), bytes, refs.size());
        } catch (Exception e) {
            log.warn("event=repo_bundle_save_failed app_id={} error=\"{}\"", app.id(), S3Objects.logValue(e));
        } finally {
            deleteQuietly(bundle);
        }
    }

    /** Branches and tags, with what they point at (a symbolic ref has none of its own). */
    private static List<Ref> refs(Repository repository) throws IOException {
        List<Ref> refs = new java.util.ArrayList<>(repository.getRefDatabase().getRefsByPrefix(Constants.R_HEADS));
        refs.addAll(repository.getRefDatabase().getRefsByPrefix(Constants.R_TAGS));
        return refs.stream().filter(ref -> !ref.isSymbolic() && ref.getObjectId() != null).toList();
    }

    /** A new repository's HEAD names main; an app that deploys master has only that, and a clone should get it. */
    private static void pointHeadAtADeployBranch(Repository repository) throws IOException {
        if (repository.exactRef(DeployBranch.MAIN) == null && repository.exactRef(DeployBranch.MASTER) != null) {
            repository.updateRef(Constants.HEAD).link(DeployBranch.MASTER);
        }
    }

    /** A file of this server's inside the app's git directory (so it goes with the app), for a bundle in transit. */
    private static Path scratchFile(Repository repository) throws IOException {
        return Files.createTempFile(repository.getDirectory().toPath(), "laambda-", ".bundle");
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("event=repo_bundle_temp_left path={} error={}", file, e.getMessage());
        }
    }
}
