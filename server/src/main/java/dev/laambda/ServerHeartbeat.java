package dev.laambda;

import dev.laambda.store.Server;
import dev.laambda.store.ServerRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This server's row among the servers of its database: written at start (or the start refused, when the servers
 * could not share their artifacts), its heartbeat refreshed every 10 s, deleted on a clean shutdown. A server that
 * stopped without closing counts as live until its heartbeat is 30 s old.
 */
public final class ServerHeartbeat implements AutoCloseable {

    public static final Duration EVERY = Duration.ofSeconds(10);
    /** Three missed beats: a server is gone, not slow. */
    public static final Duration LIVE_FOR = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(ServerHeartbeat.class);

    private final ServerRepository servers;
    private volatile Server self;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "server-heartbeat");
        thread.setDaemon(true);
        return thread;
    });

    private ServerHeartbeat(ServerRepository servers, Server self) {
        this.servers = servers;
        this.self = self;
    }

    /**
     * Joins the database's live servers and starts beating; refuses, in one line, when an artifact a server builds
     * could be missing on another: this one or a live one without LAAMBDA_S3_BUCKET, or with another bucket.
     */
    public static ServerHeartbeat join(ServerRepository servers, Server self) {
        servers.join(self, LIVE_FOR, others -> requireSharedArtifacts(self.artifactBucket(), others));
        ServerHeartbeat heartbeat = new ServerHeartbeat(servers, self);
        heartbeat.timer.scheduleWithFixedDelay(heartbeat::beat, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        log.info("event=server_joined id=\"{}\" artifacts={}", self.id(), self.artifactBucket().isPresent() ? "s3" : "file");
        return heartbeat;
    }

    static void requireSharedArtifacts(Optional<String> ourBucket, List<Server> others) {
        if (others.isEmpty()) {
            return;
        }
        String what = "set the same LAAMBDA_S3_BUCKET on every server (or, if they have stopped, wait "
                + LIVE_FOR.toSeconds() + " s).";
        if (ourBucket.isEmpty()) {
            throw refused("Other servers are live on this database (" + described(others) + "), and this one has no "
                    + "shared artifact store: " + what);
        }
        List<Server> unshared = others.stream().filter(other -> !other.artifactBucket().equals(ourBucket)).toList();
        if (!unshared.isEmpty()) {
            throw refused("Servers live on this database do not share this one's artifact bucket ("
                    + described(unshared) + "): " + what);
        }
    }

    private static String described(List<Server> servers) {
        return String.join(", ", servers.stream().map(server -> server.described()
                + server.artifactBucket().map(bucket -> "").orElse(", no bucket")).toList());
    }

    private static LaambdaException refused(String message) {
        return new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "artifacts_not_shared", message);
    }

    /** Where this server listens, once it does. */
    public void listening(String httpAddress, String sshAddress) {
        Server before = self;
        self = new Server(before.id(), before.host(), httpAddress, sshAddress, before.artifactBucket(), before.startedAt(),
                before.heartbeatAt());
        servers.listening(before.id(), httpAddress, sshAddress);
    }

    private void beat() {
        try {
            if (!servers.beat(self.id())) {
                // Pruned as stale while the database was out of reach: this server still runs, so it is back.
                servers.rejoin(self);
                log.warn("event=server_rejoined id=\"{}\"", self.id());
            }
        } catch (RuntimeException e) {
            log.warn("event=server_heartbeat_failed error=\"{}\"", e.getMessage());
        }
    }

    @Override
    public void close() {
        BackgroundTasks.stop(timer);
        servers.leave(self.id());
        log.info("event=server_left id=\"{}\"", self.id());
    }
}
