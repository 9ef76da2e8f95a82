package dev.laambda.git;

import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceiveCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;

/**
 * The one branch of an app that deploys: {@code main}, or {@code master} when that is the only one of the
 * two in the repository (counting this push). Other branches are stored only, so pushing {@code master}
 * to an app that deploys {@code main} cannot replace what runs.
 */
final class DeployBranch {

    static final String MAIN = "refs/heads/main";
    static final String MASTER = "refs/heads/master";

    private DeployBranch() {
    }

    static String of(Repository repository, Collection<ReceiveCommand> pushed) {
        if (has(repository, MAIN) || creates(pushed, MAIN)) {
            return MAIN;
        }
        return has(repository, MASTER) || creates(pushed, MASTER) ? MASTER : MAIN;
    }

    /** How a ref is named in push output: "branch master", "tag v1". */
    static String describe(String ref) {
        if (ref.startsWith("refs/heads/")) {
            return "Branch " + Repository.shortenRefName(ref);
        }
        if (ref.startsWith("refs/tags/")) {
            return "Tag " + Repository.shortenRefName(ref);
        }
        return "Ref " + ref;
    }

    private static boolean has(Repository repository, String ref) {
        try {
            return repository.exactRef(ref) != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean creates(Collection<ReceiveCommand> pushed, String ref) {
        return pushed.stream().anyMatch(c -> c.getRefName().equals(ref) && c.getType() != ReceiveCommand.Type.DELETE);
    }
}
