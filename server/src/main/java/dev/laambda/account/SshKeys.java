package dev.laambda.account;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;
import dev.laambda.store.SshKey;
import dev.laambda.store.SshKeyRepository;
import dev.laambda.store.User;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

import java.security.PublicKey;
import java.util.List;
import java.util.Optional;

/** Users' SSH public keys: adding one (validated, fingerprinted), listing, removing, and who owns a key. */
public final class SshKeys {

    private final SshKeyRepository keys;

    public SshKeys(SshKeyRepository keys) {
        this.keys = keys;
    }

    /** Adds an OpenSSH public key line (`ssh-ed25519 AAAA… comment`); the comment names it unless a name is given. */
    public SshKey add(User user, String publicKeyLine, String name) {
        String line = publicKeyLine == null ? "" : publicKeyLine.trim();
        PublicKey key = parse(line);
        String[] parts = line.split("\\s+", 3);
        String keyName = name != null && !name.isBlank() ? name : parts.length == 3 ? parts[2] : "";
        String normalised = parts[0] + " " + parts[1];
        return keys.add(user.id(), fingerprint(key), normalised, keyName);
    }

    public List<SshKey> list(User user) {
        return keys.listForUser(user.id());
    }

    public SshKey remove(User user, String fingerprint) {
        return keys.remove(user.id(), fingerprint).orElseThrow(() -> LaambdaException.notFound("key_not_found",
                "You have no SSH key with fingerprint '" + Echo.of(fingerprint)
                        + "': see `laambda keys`."));
    }

    public Optional<User> owner(PublicKey key) {
        return keys.userForFingerprint(fingerprint(key));
    }

    /** OpenSSH's SHA256:… form, as `ssh-keygen -lf` prints it. */
    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(key);
    }

    private static PublicKey parse(String line) {
        try {
            if (line.isEmpty() || line.contains("PRIVATE KEY")) {
                throw new IllegalArgumentException("not a public key");
            }
            PublicKey key = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line)
                    .resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
            if (key == null) {
                throw new IllegalArgumentException("unsupported key type");
            }
            return key;
        } catch (Exception e) {
            throw LaambdaException.invalid("invalid_ssh_key", "That is not an OpenSSH public key: give the contents of a .pub "
                    + "file, e.g. ~/.ssh/id_ed25519.pub (\"ssh-ed25519 AAAA… you@host\").");
        }
    }
}
