package dev.laambda.store;

import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One bare git repository per app under the data directory (ID.git, see AppDirectories), created on first push. */
public final class GitRepos {

    private final Path root;

    public GitRepos(Path root) {
        this.root = root;
    }

    /** The app's repository, created bare if it does not exist yet. The caller closes it. */
    public Repository open(App app) {
        Path dir = root.resolve(app.id() + ".git");
        try {
            createIfMissing(dir);
            return new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open the git repository of app " + app.name() + ": " + e.getMessage(), e);
        }
    }

    /** Two pushes to a new app arrive at once: only one may create its repository. */
    private synchronized void createIfMissing(Path dir) throws IOException {
        if (Files.exists(dir.resolve("HEAD"))) {
            return;
        }
        Files.createDirectories(root);
        try (Repository repository = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build()) {
            repository.create(true);
            repository.getConfig().setBoolean("receive", null, "denyNonFastForwards", false);
            repository.getConfig().save();
            repository.updateRef("HEAD").link("refs/heads/main");
        }
    }

}
