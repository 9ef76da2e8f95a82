package dev.laambda.drains;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

/**
 * A certificate for 127.0.0.1 made by keytool for a test's TLS receivers, and the PEM file a server trusts it by
 * (LAAMBDA_DRAIN_CA_FILE): the receiver's certificate is its own CA.
 */
final class SelfSignedCert {

    private static final char[] PASSWORD = "drain-test".toCharArray();

    private final SSLContext serverContext;
    private final Path pemFile;

    private SelfSignedCert(SSLContext serverContext, Path pemFile) {
        this.serverContext = serverContext;
        this.pemFile = pemFile;
    }

    static SelfSignedCert forLoopback() throws Exception {
        Path dir = Files.createTempDirectory("drain-cert");
        Path keyStore = dir.resolve("receiver.p12");
        Path pem = dir.resolve("receiver-ca.pem");
        keytool("-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD));
        keytool("-exportcert", "-rfc", "-alias", "receiver", "-keystore", keyStore.toString(), "-storepass",
                new String(PASSWORD), "-file", pem.toString());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        return new SelfSignedCert(context, pem);
    }

    SSLContext serverContext() {
        return serverContext;
    }

    Path pemFile() {
        return pemFile;
    }

    private static void keytool(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }
}
