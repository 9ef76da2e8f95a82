package dev.laambda.git;

import org.eclipse.jgit.transport.ReceivePack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** Lines sent to the pushing client on git's side band, so they appear at once as `remote:` lines. */
final class PushOutput implements Consumer<String> {

    private final ReceivePack receivePack;

    PushOutput(ReceivePack receivePack) {
        this.receivePack = receivePack;
    }

    @Override
    public synchronized void accept(String line) {
        receivePack.sendMessage(line);
        try {
            receivePack.getMessageOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("The pushing client went away", e);
        }
    }
}
