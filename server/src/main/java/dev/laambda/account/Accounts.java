package dev.laambda.account;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;
import dev.laambda.ServerConfig;
import dev.laambda.TenantIsolation;
import dev.laambda.store.ApiToken;
import dev.laambda.store.TokenRepository;
import dev.laambda.store.User;
import dev.laambda.store.UserRepository;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Users and their API tokens: creating them, issuing and revoking tokens, and telling who a token belongs to. */
public final class Accounts {

    private static final String TOKEN_PREFIX = "lmb_";
    private static final String AWS_SIGV4 = "AWS4-HMAC-SHA256";

    private final UserRepository users;
    private final TokenRepository tokens;
    private final TenantIsolation isolation;
    private final SecureRandom random = new SecureRandom();

    public Accounts(UserRepository users, TokenRepository tokens, TenantIsolation isolation) {
        this.users = users;
        this.tokens = tokens;
        this.isolation = isolation;
    }

    /** A token as handed to its owner: the only moment the secret exists outside the client. */
    public record IssuedToken(ApiToken token, String secret) {
    }

    /** A new user with a first token. */
    public record NewUser(User user, IssuedToken token) {
    }

    /** On an empty database, creates the first admin; empty when users already exist. */
    public Optional<NewUser> bootstrapAdmin(String email) {
        if (users.count() > 0) {
            return Optional.empty();
        }
        return Optional.of(createAdmin(email));
    }

    /** Creates an admin with a first token; an email already in use is refused. */
    public NewUser createAdmin(String email) {
        return create(email, true);
    }

    public NewUser createUser(User by, String email, boolean isAdmin) {
        if (!by.isAdmin()) {
            throw LaambdaException.forbidden("admin_required", "Only an admin can create users.");
        }
        if (!isAdmin) {
            isolation.requireMultiUser();
        }
        return create(email, isAdmin);
    }

    /**
     * The user an Authorization header names: {@code Bearer <token>}, or, for AWS SDKs and the AWS CLI on the
     * AWS-compatible endpoints, a Signature Version 4 header whose access key id is the token
     * ({@code AWS4-HMAC-SHA256 Credential=<token>/<date>/<region>/lambda/aws4_request, …}).
     */
    public User authenticate(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw LaambdaException.unauthorized("Missing API token: send 'Authorization: Bearer <token>' (run `laambda login`).");
        }
        String[] parts = authorizationHeader.trim().split("\\s+", 2);
        String token;
        if (parts.length == 2 && parts[0].equalsIgnoreCase("Bearer")) {
            token = parts[1];
        } else if (parts.length == 2 && parts[0].equals(AWS_SIGV4)) {
            token = accessKeyId(parts[1]);
        } else {
            throw LaambdaException.unauthorized("Malformed Authorization header: use 'Authorization: Bearer <token>'.");
        }
        return tokens.userForLiveToken(hash(token)).orElseThrow(() ->
                LaambdaException.unauthorized("Invalid or revoked API token: run `laambda login` with a valid token."));
    }

    /** The access key id of a SigV4 header's "Credential=AKID/date/region/service/aws4_request" part. */
    private static String accessKeyId(String signatureFields) {
        for (String field : signatureFields.split("\\s*,\\s*")) {
            if (field.startsWith("Credential=")) {
                String credential = field.substring("Credential=".length());
                int slash = credential.indexOf('/');
                if (slash > 0) {
                    return credential.substring(0, slash);
                }
            }
        }
        throw LaambdaException.unauthorized("Malformed AWS Signature Version 4 header: its Credential must start with "
                + "your Laambda token as the access key id (AWS_ACCESS_KEY_ID=<token>).");
    }

    public IssuedToken issueToken(User user, String description) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiToken token = tokens.create(user.id(), hash(secret), description == null ? "" : description);
        return new IssuedToken(token, secret);
    }

    public List<ApiToken> tokens(User user) {
        return tokens.listForUser(user.id());
    }

    public ApiToken revokeToken(User user, long tokenId) {
        return tokens.revoke(user.id(), tokenId).orElseThrow(() ->
                LaambdaException.notFound("token_not_found", "You have no token with id " + tokenId + ": see `laambda tokens`."));
    }

    public List<User> listUsers(User by) {
        if (!by.isAdmin()) {
            throw LaambdaException.forbidden("admin_required", "Only an admin can list users.");
        }
        return users.list();
    }

    private NewUser create(String email, boolean isAdmin) {
        if (email == null || !email.matches(ServerConfig.EMAIL_PATTERN) || email.length() > 254) {
            throw LaambdaException.invalid("invalid_email", "'" + Echo.of(email)
                    + "' is not an email address like ann@example.com.");
        }
        if (users.findByEmail(email).isPresent()) {
            throw LaambdaException.conflict("user_exists", "A user with email '" + email + "' already exists.");
        }
        User user = users.create(email, isAdmin);
        return new NewUser(user, issueToken(user, "first token"));
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
