package dev.laambda.git;

import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * JGit's fsck of received objects, which also says where a forbidden tree entry ({@code ..}, {@code .git},
 * …) sits: JGit only names the entry, so the trees seen so far remember their parent to spell the path.
 * A pack usually holds a tree before its subtrees; when it does not, the path starts with "…/".
 */
final class PushedTreeChecker extends ObjectChecker {

    private static final Set<ErrorType> PATH_ERRORS = Set.of(ErrorType.HAS_DOT, ErrorType.HAS_DOTDOT,
            ErrorType.HAS_DOTGIT, ErrorType.EMPTY_NAME, ErrorType.FULL_PATHNAME);

    /** Where each subtree seen so far sits: its parent tree and its name there. */
    private final Map<ObjectId, Placement> placements = new HashMap<>();
    /** The root trees of the commits seen so far. */
    private final Set<ObjectId> roots = new HashSet<>();

    private record Placement(ObjectId parent, String name) {
    }

    /** A pushed tree holds an entry git must never write into a work tree. */
    static final class ForbiddenPathException extends CorruptObjectException {
        private final String path;

        ForbiddenPathException(String path, CorruptObjectException cause) {
            super(cause.getMessage(), cause);
            this.path = path;
        }

        String path() {
            return path;
        }
    }

    @Override
    public void checkCommit(AnyObjectId id, byte[] raw) throws CorruptObjectException {
        super.checkCommit(id, raw);
        // A valid commit starts with "tree <hex>\n".
        roots.add(ObjectId.fromString(raw, tree.length));
    }

    @Override
    public void checkTree(AnyObjectId id, byte[] raw) throws CorruptObjectException {
        try {
            super.checkTree(id, raw);
        } catch (CorruptObjectException e) {
            if (id != null && PATH_ERRORS.contains(e.getErrorType())) {
                throw new ForbiddenPathException(pathOf(id.copy(), forbiddenEntry(raw)), e);
            }
            throw e;
        }
        if (id != null) {
            remember(id.copy(), raw);
        }
    }

    private void remember(ObjectId tree, byte[] raw) {
        CanonicalTreeParser entries = new CanonicalTreeParser();
        entries.reset(raw);
        for (; !entries.eof(); entries.next()) {
            if (FileMode.TREE.equals(entries.getEntryRawMode())) {
                placements.putIfAbsent(entries.getEntryObjectId(), new Placement(tree, entries.getEntryPathString()));
            }
        }
    }

    /** The first entry the checker refuses (the tree itself passed the structural checks up to it). */
    private String forbiddenEntry(byte[] raw) {
        CanonicalTreeParser entries = new CanonicalTreeParser();
        entries.reset(raw);
        for (; !entries.eof(); entries.next()) {
            byte[] name = new byte[entries.getNameLength()];
            entries.getName(name, 0);
            try {
                checkPathSegment(name, 0, name.length);
            } catch (CorruptObjectException forbidden) {
                return entries.getEntryPathString();
            }
        }
        return "?";
    }

    private String pathOf(ObjectId tree, String entry) {
        StringBuilder path = new StringBuilder(entry);
        ObjectId at = tree;
        // Bounded: a crafted pack may place a tree inside itself.
        for (int depth = 0; depth < 4096 && !roots.contains(at); depth++) {
            Placement placement = placements.get(at);
            if (placement == null) {
                return "…/" + path;
            }
            path.insert(0, placement.name() + "/");
            at = placement.parent();
        }
        return path.toString();
    }
}
