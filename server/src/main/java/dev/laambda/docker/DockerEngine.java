package dev.laambda.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.laambda.LaambdaException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Docker engine Laambda builds and runs functions in, reached over its socket (DOCKER_HOST when set,
 * else /var/run/docker.sock) with docker-java.
 */
public final class DockerEngine {

    /** The label every container of this server carries: which server (host and data dir) started it. */
    public static final String OWNER_LABEL = "dev.laambda.owner";

    private final DockerClient client;
    private final String host;
    private final String version;
    private final String owner;
    private final Set<String> imagesSeen = ConcurrentHashMap.newKeySet();
    private final Map<String, List<String>> entrypoints = new ConcurrentHashMap<>();

    private DockerEngine(DockerClient client, String host, String version, String owner) {
        this.client = client;
        this.host = host;
        this.version = version;
        this.owner = owner;
    }

    /** The engine at the process's DOCKER_HOST (or the default socket), as {@link #connect(String, Optional)}. */
    public static Connection connect(String owner) {
        return connect(owner, Optional.empty());
    }

    /**
     * The engine when one answers at DOCKER_HOST (or the default socket), else the reason it does not.
     * {@code owner} names this server among others sharing the engine (its host and data dir); {@code dockerHost}
     * is the server's DOCKER_HOST setting, read with the rest of its settings.
     */
    public static Connection connect(String owner, Optional<String> dockerHost) {
        DefaultDockerClientConfig.Builder settings = DefaultDockerClientConfig.createDefaultConfigBuilder();
        dockerHost.ifPresent(settings::withDockerHost);
        DockerClientConfig config = settings.build();
        String host = config.getDockerHost().toString();
        try {
            ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost())
                    .sslConfig(config.getSSLConfig())
                    .connectionTimeout(Duration.ofSeconds(3))
                    .responseTimeout(Duration.ofMinutes(30))
                    .maxConnections(100)
                    .build();
            DockerClient client = DockerClientImpl.getInstance(config, http);
            String version = client.versionCmd().exec().getVersion();
            return new Connection(Optional.of(new DockerEngine(client, host, version, owner)),
                    "Docker " + version + " at " + host);
        } catch (RuntimeException e) {
            return new Connection(Optional.empty(), "no Docker engine at " + host + ": " + firstLine(e));
        }
    }

    /** The outcome of {@link #connect()}: the engine, or why there is none, in one line. */
    public record Connection(Optional<DockerEngine> engine, String description) {
    }

    public DockerClient client() {
        return client;
    }

    String owner() {
        return owner;
    }

    /**
     * Removes the containers an earlier run of this server left behind (it was killed mid-build or with
     * instances running); returns how many.
     */
    public int removeLeftovers() {
        List<String> ids = client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(OWNER_LABEL, owner)).exec().stream()
                .map(com.github.dockerjava.api.model.Container::getId).toList();
        ids.forEach(id -> client.removeContainerCmd(id).withForce(true).exec());
        return ids.size();
    }

    /** "Docker 20.10.24 at unix:///var/run/docker.sock", for the logs and the push output. */
    public String description() {
        return "Docker " + version + " at " + host;
    }

    /**
     * Checks that an image is present locally (no registry is asked: images come from buildpacks/stacks or
     * the operator). Missing: a clear error naming the script that builds it and the setting that replaces it.
     */
    public void requireImage(String image, String kind, String setting) {
        if (imagesSeen.contains(image)) {
            return;
        }
        try {
            client.inspectImageCmd(image).exec();
            imagesSeen.add(image);
        } catch (NotFoundException e) {
            throw new LaambdaException(LaambdaException.Kind.CONFLICT, "image_not_found", kind + " image '" + image
                    + "' not found: run buildpacks/stacks/build.sh or set " + setting + ".");
        } catch (RuntimeException e) {
            throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "docker_unavailable", "Docker engine at " + host
                    + " did not answer (" + firstLine(e) + "): start it (scripts/docker-engine) and push again.");
        }
    }

    /** The image's own entry point (its ENTRYPOINT), empty when it has none. */
    public List<String> entrypoint(String image) {
        return entrypoints.computeIfAbsent(image, name -> {
            String[] entrypoint = client.inspectImageCmd(name).exec().getConfig().getEntrypoint();
            return entrypoint == null ? List.of() : List.of(entrypoint);
        });
    }

    /** An engine error in one line (no container's environment is involved: nothing to hide). */
    static String firstLine(Throwable e) {
        return DockerErrors.describe(e, List.of());
    }
}
