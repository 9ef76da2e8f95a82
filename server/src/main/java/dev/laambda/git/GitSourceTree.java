package dev.laambda.git;

import dev.laambda.release.SourceTree;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A pushed commit as a deploy's source. Its tree is written with executable bits and symlinks kept
 * (the packer decides what to do with links), submodules skipped, never outside the target directory.
 */
final class GitSourceTree implements SourceTree {

    private final Repository repository;
    private final ReceiveCommand command;
    private final ObjectId commit;

    GitSourceTree(Repository repository, ReceiveCommand command) {
        this.repository = repository;
        this.command = command;
        this.commit = command.getNewId();
    }

    /**
     * Moves the pushed branch to the commit (forced: the release is what counts), points HEAD at it and marks
     * the command done.
     */
    @Override
    public void recordDeployed() {
        try {
            RefUpdate update = repository.updateRef(command.getRefName());
            update.setNewObjectId(commit);
            update.setForceUpdate(true);
            update.setRefLogMessage("laambda deploy", false);
            RefUpdate.Result result = update.update();
            switch (result) {
                case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> command.setResult(ReceiveCommand.Result.OK);
                default -> throw new IOException("git ref update " + result);
            }
            // A clone checks out the deployed branch (master, in an app that has no main).
            if (!command.getRefName().equals(repository.getFullBranch())) {
                repository.updateRef(Constants.HEAD).link(command.getRefName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not move " + command.getRefName() + " to " + commit.name(), e);
        }
    }

    @Override
    public void checkoutTo(Path directory) {
        Path root = directory.toAbsolutePath().normalize();
        try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
            RevCommit revCommit = walk.parseCommit(commit);
            tree.addTree(revCommit.getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                Path target = root.resolve(tree.getPathString()).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw new IOException("Refusing to write outside the build directory: " + tree.getPathString());
                }
                FileMode mode = tree.getFileMode(0);
                if (mode == FileMode.GITLINK) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                ObjectLoader blob = repository.open(tree.getObjectId(0));
                if (mode == FileMode.SYMLINK) {
                    Files.createSymbolicLink(target, Path.of(new String(blob.getBytes(), StandardCharsets.UTF_8)));
                    continue;
                }
                try (OutputStream file = Files.newOutputStream(target)) {
                    blob.copyTo(file);
                }
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
                        mode == FileMode.EXECUTABLE_FILE ? "rwxr-xr-x" : "rw-r--r--"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not check out " + commit.name() + ": " + e.getMessage(), e);
        }
    }
}
