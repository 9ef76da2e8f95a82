package dev.laambda.drains;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * TLS for syslog+tls and https drains: the JDK's trusted CAs and, when the operator names one in
 * LAAMBDA_DRAIN_CA_FILE, the CAs of that PEM file too (a private CA in front of an internal collector). Verification
 * is never off: every connection checks the certificate chain and that it names the URL's host.
 */
public final class DrainTls {

    private final SSLContext context;

    private DrainTls(SSLContext context) {
        this.context = context;
    }

    /** The JDK's trust store, plus the PEM certificates in {@code extraCaFile}. */
    public static DrainTls trusting(Optional<Path> extraCaFile) {
        try {
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (X509Certificate ca : ((X509TrustManager) defaults.getTrustManagers()[0]).getAcceptedIssuers()) {
                trusted.setCertificateEntry("jdk-" + n++, ca);
            }
            if (extraCaFile.isPresent()) {
                for (Certificate ca : read(extraCaFile.get())) {
                    trusted.setCertificateEntry("extra-" + n++, ca);
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return new DrainTls(context);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(dev.laambda.ServerConfig.DRAIN_CA_FILE + " must name a PEM file of CA "
                    + "certificates (" + e.getMessage() + ")");
        }
    }

    /** TLS over an already connected socket, verifying the certificate names {@code host}. */
    SSLSocket wrap(Socket connected, String host, int port) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(connected, host, port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!host.matches("^[0-9.]+$") && !host.contains(":")) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }

    private static Collection<? extends Certificate> read(Path pemFile) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new GeneralSecurityException("no certificate in " + pemFile);
            }
            return certificates;
        }
    }
}
