package dev.laambda.git;

import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;

import java.security.PublicKey;

/**
 * Public-key auth only. Every key that proves possession is let in, and remembered on the session:
 * whether it belongs to a user who may touch the app is decided per git command, so an unknown key
 * gets a clear `remote: !` line rather than SSH's bare "Permission denied".
 */
final class KeyAuthenticator implements PublickeyAuthenticator {

    static final AttributeRepository.AttributeKey<PublicKey> CLIENT_KEY = new AttributeRepository.AttributeKey<>();

    @Override
    public boolean authenticate(String username, PublicKey key, ServerSession session) {
        session.setAttribute(CLIENT_KEY, key);
        return true;
    }
}
