package dev.laambda.testing;

import dev.laambda.ServerConfig;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.HashMap;
import java.util.Map;

/**
 * Two servers on one database and one bucket in moto's S3, as behind a load balancer (README, "Scaling out"):
 * builds and functions on the host, so the tests of what servers share stay quick. Closing stops both and moto.
 */
public final class TwoServers implements AutoCloseable {

    private final MotoServer moto;
    private final String bucket;
    private final Map<String, String> settings;
    private TestServer a;
    private TestServer b;

    private TwoServers(MotoServer moto, String bucket, Map<String, String> settings) {
        this.moto = moto;
        this.bucket = bucket;
        this.settings = settings;
    }

    /** Starts moto, makes {@code bucket}, then A and B with the shared settings and {@code extraEnv}. */
    public static TwoServers start(String bucket, Map<String, String> extraEnv) {
        MotoServer moto = MotoServer.start();
        Map<String, String> settings = new HashMap<>(moto.settingsForServersSharing(bucket));
        settings.putAll(Map.of(ServerConfig.BUILDER, "local", ServerConfig.INSTANCES, "process"));
        settings.putAll(extraEnv);
        TwoServers servers = new TwoServers(moto, bucket, Map.copyOf(settings));
        try {
            servers.a = TestServer.start(settings);
            servers.b = servers.a.another(settings);
            return servers;
        } catch (RuntimeException e) {
            servers.close();
            throw e;
        }
    }

    public TestServer a() {
        return a;
    }

    public TestServer b() {
        return b;
    }

    /** What both servers were started with: a third server with these joins them. */
    public Map<String, String> settings() {
        return settings;
    }

    public String bucket() {
        return bucket;
    }

    public S3Client s3() {
        return moto.aws().s3("us-east-1");
    }

    @Override
    public void close() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        moto.close();
    }
}
