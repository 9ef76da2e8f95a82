package dev.laambda.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.cli.Models.SshKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** keys, keys:add and keys:remove: the SSH public keys you git push with. */
final class KeysCommands {

    private KeysCommands() {
    }

    static List<Object> all(CliContext context) {
        return List.of(new ListKeys(context), new Add(context), new Remove(context));
    }

    @Command(name = "keys", description = "List your SSH keys.")
    static final class ListKeys implements Callable<Integer> {

        private final CliContext context;

        @Mixin
        private JsonOption json;

        ListKeys(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode answer = context.api().get("/keys");
            if (json.requested()) {
                context.printJson(answer);
                return 0;
            }
            List<SshKey> keys = context.json().readList(answer, SshKey.class);
            if (keys.isEmpty()) {
                context.out().println("You have no SSH keys: add one with `laambda keys:add`.");
                return 0;
            }
            context.out().println("=== SSH keys");
            context.printLines(Table.columns(keys.stream().map(key -> List.of(key.fingerprint(), key.name())).toList()));
            return 0;
        }
    }

    @Command(name = "keys:add", description = "Add an SSH public key (default ~/.ssh/id_ed25519.pub, then id_rsa.pub).")
    static final class Add implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "PATH", arity = "0..1", description = "The .pub file.")
        private Path path;

        Add(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Path file = path != null ? context.workingDir().resolve(path) : defaultKey();
            String publicKey;
            try {
                publicKey = Files.readString(file).trim();
            } catch (IOException e) {
                throw new CliException("Cannot read " + file + ": make a key with `ssh-keygen -t ed25519` or give its path.");
            }
            SshKey key = context.json().read(context.api().post("/keys", Map.of("public_key", publicKey)), SshKey.class);
            context.out().println("Uploading " + file + " SSH key... done, " + key.fingerprint());
            return 0;
        }

        private Path defaultKey() {
            Path ssh = context.home().resolve(".ssh");
            for (String name : List.of("id_ed25519.pub", "id_rsa.pub")) {
                if (Files.isRegularFile(ssh.resolve(name))) {
                    return ssh.resolve(name);
                }
            }
            throw new CliException("No public key in " + ssh + ": make one with `ssh-keygen -t ed25519` or give its path.");
        }
    }

    @Command(name = "keys:remove", description = "Remove one of your SSH keys.")
    static final class Remove implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "FINGERPRINT", description = "As `laambda keys` shows it: SHA256:...")
        private String fingerprint;

        Remove(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            context.api().delete("/keys?fingerprint=" + ApiClient.query(fingerprint));
            context.out().println("Removing " + fingerprint + " SSH key... done");
            return 0;
        }
    }
}
