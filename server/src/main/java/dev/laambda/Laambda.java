package dev.laambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.laambda.account.Accounts;
import dev.laambda.account.SshKeys;
import dev.laambda.api.ApiServer;
import dev.laambda.api.DrainsApi;
import dev.laambda.api.MetricsApi;
import dev.laambda.drains.DrainEgress;
import dev.laambda.events.LocalSchedules;
import dev.laambda.store.EventSourceTickRepository;
import dev.laambda.drains.DrainForwarding;
import dev.laambda.drains.DrainTls;
import dev.laambda.drains.Drains;
import dev.laambda.store.DrainLocks;
import dev.laambda.store.DrainRepository;
import dev.laambda.api.PrometheusApi;
import dev.laambda.metrics.FunctionMetrics;
import dev.laambda.metrics.MetricsFlusher;
import dev.laambda.metrics.PrometheusMetrics;
import dev.laambda.store.App;
import dev.laambda.store.FunctionMetricsRepository;
import dev.laambda.api.Routes;
import dev.laambda.build.ArtifactPacker;
import dev.laambda.build.BuildCache;
import dev.laambda.build.BuildEnvironment;
import dev.laambda.build.Buildpacks;
import dev.laambda.build.ArtifactStore;
import dev.laambda.build.FileArtifactStore;
import dev.laambda.build.S3ArtifactStore;
import dev.laambda.build.S3BuildCaches;
import dev.laambda.bucket.S3Objects;
import dev.laambda.build.LocalBuilder;
import dev.laambda.git.GitEndpoint;
import dev.laambda.git.RepoBundles;
import dev.laambda.git.SshGitServer;
import dev.laambda.release.Deployer;
import dev.laambda.release.Invoker;
import dev.laambda.release.LiveReleases;
import dev.laambda.logs.AppLog;
import dev.laambda.logs.CloudWatchLogCopier;
import dev.laambda.logs.LogFeed;
import dev.laambda.logs.LogRetention;
import dev.laambda.platform.Platforms;
import dev.laambda.platform.aws.AwsClients;
import dev.laambda.platform.aws.AwsLambdaPlatform;
import dev.laambda.platform.aws.KmsDataKeys;
import dev.laambda.platform.local.ArtifactUnpacker;
import dev.laambda.platform.local.InstanceMemory;
import dev.laambda.platform.local.LocalPlatform;
import dev.laambda.platform.local.RuntimeLauncher;
import dev.laambda.platform.local.ContainerInstances;
import dev.laambda.platform.local.HostInstances;
import dev.laambda.platform.local.InstanceLauncher;
import dev.laambda.platform.local.RunImages;
import dev.laambda.platform.aws.RoleCheck;
import dev.laambda.docker.DockerEngine;
import dev.laambda.docker.SandboxNetwork;
import dev.laambda.build.Builder;
import dev.laambda.build.BuildImages;
import dev.laambda.build.DockerBuilder;
import dev.laambda.store.AppLocks;
import dev.laambda.store.LogLineRepository;
import dev.laambda.store.ArtifactRepository;
import dev.laambda.release.AppPlacement;
import dev.laambda.release.Apps;
import dev.laambda.release.ConfigCipher;
import dev.laambda.release.MasterKey;
import dev.laambda.release.AfterSwitch;
import dev.laambda.release.GoingLive;
import dev.laambda.release.Releases;
import dev.laambda.store.AppRepository;
import dev.laambda.store.BuildRepository;
import dev.laambda.store.ChannelListener;
import dev.laambda.store.SshKeyRepository;
import dev.laambda.store.Database;
import dev.laambda.store.EmbeddedPostgresServer;
import dev.laambda.store.AppDirectories;
import dev.laambda.store.GitRepos;
import dev.laambda.store.JdbcTarget;
import dev.laambda.store.ReleaseRepository;
import dev.laambda.store.Server;
import dev.laambda.store.ServerRepository;
import dev.laambda.store.TokenRepository;
import dev.laambda.store.UserRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The Laambda server: reads ServerConfig, wires every part by hand, and starts. */
public final class Laambda implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Laambda.class);
    public static final String VERSION = "0.1.0";

    private final List<AutoCloseable> parts;
    private final ApiServer api;
    private final SshGitServer ssh;
    private final Accounts accounts;
    private final DataDirLock dataDirLock;
    private final LogFeed logFeed;
    private final LocalSchedules schedules;

    private Laambda(List<AutoCloseable> parts, ApiServer api, SshGitServer ssh, Accounts accounts, DataDirLock dataDirLock,
                    LogFeed logFeed, LocalSchedules schedules) {
        this.parts = parts;
        this.schedules = schedules;
        this.logFeed = logFeed;
        this.dataDirLock = dataDirLock;
        this.api = api;
        this.ssh = ssh;
        this.accounts = accounts;
    }

    public static void main(String[] args) {
        try {
            ServerConfig config = ServerConfig.fromEnvironment(System.getenv());
            if (args.length == 2 && args[0].equals("admin:create")) {
                createAdmin(config, args[1], System.out);
                return;
            }
            if (args.length > 0) {
                System.err.println("Usage: laambda-server [admin:create EMAIL]");
                System.exit(2);
            }
            Laambda server = start(config, System.out);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "laambda-shutdown"));
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException | LaambdaException e) {
            System.err.println(startFailure(e));
            System.exit(1);
        }
    }

    /** The one line an operator sees when the server cannot start: what is wrong and what to change, no stack trace. */
    static String startFailure(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return " !    " + message.lines().findFirst().orElse(message);
    }

    /** Starts a listener; another process on its port is one line naming the port and its setting. */
    private static <T> T listen(String setting, int port, java.util.function.Supplier<T> start) {
        try {
            return start.get();
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof java.net.BindException && String.valueOf(cause.getMessage()).contains("in use")) {
                    throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "port_in_use", "Port " + port
                            + " is already in use (" + setting + "): stop the other server or choose another port.");
                }
            }
            throw e;
        }
    }

    /** This server among others sharing a Docker engine: its host name and data directory. */
    private static String serverIdentity(ServerConfig config) {
        return hostName() + ":" + config.dataDir();
    }

    private static String hostName() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (java.io.IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
    }

    /** Function instances as containers on the isolated function network or host processes, as decided at start. */
    private static InstanceLauncher instances(ServerConfig config, TenantIsolation isolation, Optional<DockerEngine> docker,
                                              Optional<SandboxNetwork> network) {
        if (isolation.instancesInContainers()) {
            // An installation without the relay is broken, not unisolated: say what to build.
            if (!java.nio.file.Files.isRegularFile(config.runtimeRelay())) {
                throw new IllegalArgumentException("Function containers need the runtime relay, and " + config.runtimeRelay()
                        + " is missing: run scripts/build-runtime-relay or set " + ServerConfig.RUNTIME_RELAY + ".");
            }
            return new ContainerInstances(docker.orElseThrow(), new RunImages(config.imageSettings()), network.orElseThrow(),
                    config.runtimeRelay(), config.runtimeApiDir());
        }
        return new HostInstances(new RuntimeLauncher(config.buildpacksDir(), config.runtimesDir()));
    }

    /** Builds in containers on the isolated build network or as host processes, as the isolation decided at start says. */
    private static Builder builder(ServerConfig config, TenantIsolation isolation, Optional<DockerEngine> docker,
                                   Optional<SandboxNetwork> network, BuildEnvironment environment) {
        if (isolation.buildsInContainers()) {
            return new DockerBuilder(docker.orElseThrow(), new BuildImages(config.imageSettings()), environment,
                    config.buildpacksDir(), config.buildLimits(), config.sharedCacheDir(), network.orElseThrow());
        }
        return new LocalBuilder(environment, config.buildLimits());
    }

    /** The networks builds and functions run on, made now (only those the modes use), or why the engine cannot give them. */
    private record Sandboxes(Optional<SandboxNetwork> functions, Optional<SandboxNetwork> builds, Optional<String> problem) {

        static Sandboxes none(String problem) {
            return new Sandboxes(Optional.empty(), Optional.empty(), Optional.of(problem));
        }
    }

    private static Sandboxes sandboxes(ServerConfig config, DockerEngine.Connection docker) {
        if (docker.engine().isEmpty()) {
            return Sandboxes.none(docker.description());
        }
        java.nio.file.Path state = config.dataDir().resolve("network");
        Optional<SandboxNetwork> functions = Optional.empty();
        if (config.instances() != InstanceMode.PROCESS) {
            SandboxNetwork.Result made = SandboxNetwork.ensure(docker.engine().get(), SandboxNetwork.Purpose.FUNCTIONS,
                    SandboxNetwork.Reach.of(config.functionEgress()), config.netfilterImage(), state);
            if (made.network().isEmpty()) {
                return Sandboxes.none(made.problem());
            }
            functions = made.network();
        }
        Optional<SandboxNetwork> builds = Optional.empty();
        if (config.builder() != BuilderMode.LOCAL) {
            SandboxNetwork.Result made = SandboxNetwork.ensure(docker.engine().get(), SandboxNetwork.Purpose.BUILDS,
                    new SandboxNetwork.Reach(config.buildEgress(), config.buildAllowed()), config.netfilterImage(), state);
            if (made.network().isEmpty()) {
                return Sandboxes.none(made.problem());
            }
            builds = made.network();
        }
        return new Sandboxes(functions, builds, Optional.empty());
    }

    /** The clients of the artifact bucket: its own endpoint's (LAAMBDA_S3_ENDPOINT), else every AWS client's. */
    private static AwsClients s3Clients(ServerConfig.S3Bucket bucket, AwsClients aws,
                                        List<AutoCloseable> parts) {
        if (bucket.endpoint().isEmpty()) {
            return aws;
        }
        AwsClients own = AwsClients.withDefaultCredentials(bucket.endpoint());
        parts.add(0, own);
        return own;
    }

    /** Starts every part; {@code console} receives the one-time bootstrap token and the ready line. */
    public static Laambda start(ServerConfig config, PrintStream console) {
        // First: what follows clears the leftovers of a killed server from the data directory, never a live one's.
        DataDirLock dataDirLock = DataDirLock.acquire(config.dataDir());
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            DockerEngine.Connection docker = DockerEngine.connect(serverIdentity(config), config.dockerHost());
            log.info("event=docker engine=\"{}\"", docker.description());
            // Containers are usable when the engine answers and can wall builds and functions in on their own
            // networks; else the problem says why, in one line, and TenantIsolation turns it into the decision.
            Sandboxes sandboxes = sandboxes(config, docker);
            TenantIsolation isolation = TenantIsolation.decide(config.instances(), config.builder(), sandboxes.problem());
            logIsolation(isolation);
            Database database = openDatabase(config, parts);
            ObjectMapper json = jsonMapper();
            AwsClients aws = AwsClients.withDefaultCredentials(config.awsEndpoint());
            parts.add(0, aws);
            ConfigCipher cipher = new ConfigCipher(MasterKey.load(config.masterKey(), config.masterKeyFile()), config.kmsKey()
                    .map(key -> new KmsDataKeys(aws.kms(key.region()), key, KmsDataKeys.DEFAULT_CACHED_KEYS)));
            log.info("event=config_sealing mode={} key={}", config.kmsKey().isPresent() ? "kms" : "master_key", cipher.keyId());
            UserRepository users = new UserRepository(database);
            Accounts accounts = new Accounts(users, new TokenRepository(database), isolation);
            ReleaseRepository releaseRepository = new ReleaseRepository(database);
            requireSameMasterKey(releaseRepository.masterKeyIds(), cipher.masterKeyId());
            requireKmsKeysUsable(releaseRepository.newestKmsSealedConfigs(), cipher);
            // Among the database's other live servers, or refused when they could not run each other's artifacts.
            // Its row is deleted last on shutdown, just before the database closes.
            ServerHeartbeat heartbeat = ServerHeartbeat.join(new ServerRepository(database), new Server(serverIdentity(config),
                    hostName(), config.httpHost() + ":" + config.httpPort(), config.sshHost() + ":" + config.sshPort(),
                    config.s3().map(ServerConfig.S3Bucket::name), java.time.Instant.now(), java.time.Instant.now()));
            parts.add(parts.indexOf(database), heartbeat);
            GitRepos repos = new GitRepos(config.reposDir());
            // With a bucket every server of the database shares the artifacts, and each app's build caches and
            // repository (bucket/AppObjects); this server's disk only caches them.
            Optional<S3Objects> bucket = config.s3().map(s3 -> new S3Objects(s3Clients(s3, aws, parts).s3(s3.region()),
                    s3.name()));
            Optional<S3ArtifactStore> s3Artifacts = bucket.map(shared -> new S3ArtifactStore(shared,
                    new FileArtifactStore(config.artifactsDir())).requireBucket());
            ArtifactStore artifactStore = s3Artifacts.<ArtifactStore>map(store -> store)
                    .orElseGet(() -> new FileArtifactStore(config.artifactsDir()));
            log.info("event=artifact_store store={}", s3Artifacts.isPresent() ? "s3" : "file");
            docker.engine().ifPresent(engine -> {
                int removed = engine.removeLeftovers();
                if (removed > 0) {
                    log.warn("event=leftover_containers_removed count={}", removed);
                }
            });
            // Metrics: counted in memory by the platform, flushed to PostgreSQL in the background (closed after the platform).
            FunctionMetrics functionMetrics = new FunctionMetrics(Clock.systemUTC());
            FunctionMetricsRepository metricsStore = new FunctionMetricsRepository(database);
            MetricsFlusher metricsFlusher = new MetricsFlusher(functionMetrics, metricsStore, Clock.systemUTC())
                    .start(MetricsFlusher.EVERY);
            parts.add(0, metricsFlusher);
            LocalPlatform platform = new LocalPlatform(new ArtifactUnpacker(artifactStore, config.unpackedDir()),
                    instances(config, isolation, docker.engine(), sandboxes.functions()), config.functionConcurrency(),
                    new InstanceMemory(config.instanceMemory() >> 20), config.idleTimeout(), functionMetrics);
            parts.add(0, platform);
            AwsLambdaPlatform awsPlatform = new AwsLambdaPlatform(aws, artifactStore, s3Artifacts, config.functionUrlAuth(),
                    config.awsEndpoint().map(Object::toString).orElse("AWS"));
            Platforms platforms = new Platforms(platform, awsPlatform);
            log.info("event=platform platform={}", platform.description());
            log.info("event=platform platform={}", awsPlatform.description());
            AppLocks appLocks = new AppLocks(database);
            LogLineRepository logLines = new LogLineRepository(database);
            AppLog appLog = new AppLog(logLines, 50_000, java.time.Duration.ofMillis(25), config.logStore());
            if (config.logStore() == dev.laambda.logs.LogStore.OFF) {
                log.warn("event=log_store_off warning=\"app log lines are not stored: laambda logs shows none\"");
            }
            parts.add(0, appLog);
            LogFeed logFeed = new LogFeed(database, java.time.Duration.ofSeconds(10));
            parts.add(0, logFeed);
            CloudWatchLogCopier cloudWatchLogs = new CloudWatchLogCopier(logLines, aws, CloudWatchLogCopier.POLL_EVERY);
            parts.add(0, cloudWatchLogs);
            parts.add(0, new LogRetention(logLines, config.logRetention(), ServerConfig.LOG_LINES_PER_APP,
                    java.time.Clock.systemUTC()).start());
            AfterSwitch afterSwitch = new AfterSwitch(AfterSwitch.RETRY_DELAYS);
            parts.add(0, afterSwitch);
            AppRepository appRepository = new AppRepository(database);
            // What invocations read, kept in memory and dropped on every server when an app changes (LISTEN/NOTIFY).
            LiveReleases liveReleases = new LiveReleases(appRepository, releaseRepository, cipher, System::nanoTime);
            parts.add(0, new ChannelListener(database, LiveReleases.CHANNEL, liveReleases).start());
            Releases releases = new Releases(releaseRepository, cipher,
                    new GoingLive(releaseRepository, appLocks, cipher, platforms, afterSwitch, appLog, liveReleases),
                    config.functionConcurrency());
            AppDirectories appDirectories = new AppDirectories(config.reposDir(), config.cacheDir(), config.workspacesDir(),
                    config.unpackedDir(), bucket);
            appDirectories.migrate(appRepository::idsByName);
            ArtifactRepository artifactRows = new ArtifactRepository(database);
            Apps apps = new Apps(appRepository, users, releases, appDirectories, appLocks, platforms,
                    new AppPlacement(config.platform(), config.defaultRegion(), new RoleCheck(aws)), isolation, appLog,
                    artifactRows, artifactStore);

            SshKeys sshKeys = new SshKeys(new SshKeyRepository(database));
            BuildRepository builds = new BuildRepository(database);
            int abandoned = builds.failAbandoned();
            if (abandoned > 0) {
                log.warn("event=abandoned_builds_failed count={}", abandoned);
            }

            Invoker invoker = new Invoker(liveReleases, releaseRepository, platforms, isolation, appLog);
            // Schedule event sources of local apps, fired once per tick across the servers of the database.
            LocalSchedules schedules = new LocalSchedules(appRepository, releaseRepository,
                    new EventSourceTickRepository(database), invoker, appLog, Clock.systemUTC()).start();
            parts.add(0, schedules);

            BuildEnvironment buildEnvironment = new BuildEnvironment(System.getenv());
            Builder builder = builder(config, isolation, docker.engine(), sandboxes.builds(), buildEnvironment);
            log.info("event=builder builder={}", builder.description());
            Deployer deployer = new Deployer(appLocks, builds,
                    new Buildpacks(config.buildpacksDir(), config.buildpackOrder(), buildEnvironment),
                    builder, new BuildCache(config.cacheDir(), bucket.map(shared -> new S3BuildCaches(shared,
                            S3BuildCaches.LIMIT_BYTES))),
                    new ArtifactPacker(ArtifactPacker.LAMBDA_UNZIPPED_LIMIT, java.util.Optional.of(config.deflatedDir())), artifactStore,
                    artifactRows, releases, afterSwitch, appLog, config.workspacesDir());
            int leftoverWorkspaces = deployer.removeLeftoverWorkspaces();
            if (leftoverWorkspaces > 0) {
                log.warn("event=leftover_workspaces_removed count={}", leftoverWorkspaces);
            }
            SshGitServer ssh = listen(ServerConfig.SSH_PORT, config.sshPort(), () -> SshGitServer.start(config.sshHost(),
                    config.sshPort(), config.sshHostKeyFile(), new GitEndpoint(sshKeys, apps, repos, deployer,
                    config.repoLimit(), bucket.map(shared -> new RepoBundles(shared, repos, config.repoLimit())))));
            parts.add(0, ssh);

            PrometheusMetrics prometheus = new PrometheusMetrics(functionMetrics,
                    appId -> appRepository.findById(appId).map(App::name));
            parts.add(0, prometheus);
            prometheus.gauge("laambda.builds.running", "Builds running now (every server of the database)", builds::running);
            prometheus.gauge("laambda.instances", "Local function instances", () -> platform.instances(false), "state", "warm");
            prometheus.gauge("laambda.instances", "Local function instances", () -> platform.instances(true), "state", "busy");
            // Drains: forwarders read the log store, never the invoke path (closed before the feed and the database).
            DrainRepository drainStore = new DrainRepository(database);
            DrainEgress drainEgress = DrainEgress.system(config.drainAllowed());
            DrainForwarding drainForwarding = new DrainForwarding(drainStore, new DrainLocks(database), logLines, logFeed,
                    appRepository, drainEgress, DrainTls.trusting(config.drainCaFile()), json,
                    DrainForwarding.Timing.DEFAULT).start();
            parts.add(0, drainForwarding);
            DrainsApi drainsApi = new DrainsApi(new Drains(apps, drainStore, drainEgress, drainForwarding, appLog), json);
            MetricsApi metricsApi = new MetricsApi(apps, releases, metricsFlusher, metricsStore, aws, Clock.systemUTC());
            Routes routes = new Routes(accounts, sshKeys, apps, releases, builds, invoker, platforms, deployer, logLines, logFeed,
                    cloudWatchLogs, appLog, metricsApi, new PrometheusApi(prometheus, config.metricsToken()), drainsApi,
                    config.gitHost(), ssh.port(),
                    json, VERSION);
            ApiServer api = listen(ServerConfig.HTTP_PORT, config.httpPort(),
                    () -> ApiServer.start(config.httpHost(), config.httpPort(), routes, accounts, json, prometheus));
            parts.add(0, api);
            heartbeat.listening(config.httpHost() + ":" + api.port(), config.sshHost() + ":" + ssh.port());

            Laambda server = new Laambda(parts, api, ssh, accounts, dataDirLock, logFeed, schedules);
            accounts.bootstrapAdmin(config.adminEmail()).ifPresent(admin -> console.println(
                    "Created the first admin, " + admin.user().email() + ". Their API token (shown once, keep it safe):\n\n    "
                            + admin.token().secret() + "\n\nLog in with: laambda login --server http://localhost:"
                            + api.port() + " --token " + admin.token().secret() + "\n"));
            log.info("event=started http_port={} ssh_port={} data_dir={} database={}", api.port(), ssh.port(), config.dataDir(),
                    config.databaseUrl().isPresent() ? "external" : "embedded");
            console.println(isolation.description());
            console.println("Laambda " + VERSION + " listening on http://" + config.httpHost() + ":" + api.port()
                    + " (git over SSH on port " + ssh.port() + ")");
            return server;
        } catch (RuntimeException e) {
            closeAll(parts);
            dataDirLock.close();
            throw e;
        }
    }

    /**
     * Refuses to serve a database whose releases are sealed with another master key: every config read would fail.
     * Servers sharing a database share LAAMBDA_MASTER_KEY (README, "Scaling out").
     */
    static void requireSameMasterKey(List<String> sealedWith, String ours) {
        List<String> others = sealedWith.stream().filter(id -> !id.equals(ours)).toList();
        if (!others.isEmpty()) {
            throw new IllegalStateException("This database's releases are sealed with the master key " + others.get(0)
                    + (others.size() > 1 ? " (and " + (others.size() - 1) + " more)" : "") + ", but this server's is "
                    + ours + ": start it with the same LAAMBDA_MASTER_KEY as the servers that made them.");
        }
    }

    /**
     * Refuses to serve a database with config sealed by a KMS key this server cannot use — none configured, or no
     * credentials that may decrypt with it: every config read would fail. One sealed snapshot per key is opened
     * (a real KMS Decrypt), so a server moved to a new key still starts while it can open the old one.
     */
    static void requireKmsKeysUsable(List<ReleaseRepository.SealedConfig> newestPerKey, ConfigCipher cipher) {
        for (ReleaseRepository.SealedConfig sealed : newestPerKey) {
            String sealedWith = "This database's releases are sealed with the KMS key " + sealed.keyId();
            if (!cipher.sealsWithKms()) {
                throw new IllegalStateException(sealedWith + ", but this server has no " + ServerConfig.KMS_KEY_ID
                        + ": start it with the same " + ServerConfig.KMS_KEY_ID + " as the servers that made them.");
            }
            try {
                cipher.decrypt(sealed.ciphertext(), sealed.keyId());
            } catch (RuntimeException e) {
                throw new IllegalStateException(sealedWith + ", which this server (KMS key " + cipher.keyId()
                        + ") cannot open (" + firstLine(e.getMessage()) + "): give it AWS credentials that may decrypt "
                        + "with that key.", e);
            }
        }
    }

    private static String firstLine(String message) {
        return message == null ? "no detail" : message.lines().findFirst().orElse("no detail");
    }

    /** One line in the log for the decision; a warning when the operator chose no isolation at all. */
    private static void logIsolation(TenantIsolation isolation) {
        if (isolation.level() == TenantIsolation.Level.NONE_BY_OPERATOR) {
            log.warn("event=isolation mode={} warning=\"no isolation between apps\" reason=\"{}\"",
                    isolation.level().spelled(), isolation.reason());
        } else {
            log.info("event=isolation mode={} reason=\"{}\"", isolation.level().spelled(), isolation.reason());
        }
    }

    /** `laambda-server admin:create EMAIL`: a new admin and its token, printed once. */
    static void createAdmin(ServerConfig config, String email, PrintStream out) {
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            Database database = openDatabase(config, parts);
            Accounts accounts = new Accounts(new UserRepository(database), new TokenRepository(database),
                    TenantIsolation.adminsOnly("admin:create only adds admins"));
            Accounts.NewUser admin = accounts.createAdmin(email);
            out.println("Created admin " + admin.user().email() + ". API token (shown once): " + admin.token().secret());
        } finally {
            closeAll(parts);
        }
    }

    public int httpPort() {
        return api.port();
    }

    public int sshPort() {
        return ssh.port();
    }

    public List<String> servedRoutes() {
        return api.servedRoutes();
    }

    public Accounts accounts() {
        return accounts;
    }

    /** The local schedules of this server (tests fire a tick with {@code runDueTicks} instead of waiting for it). */
    public LocalSchedules schedules() {
        return schedules;
    }

    /** How many log tails (…/logs/stream) are open on this server now. */
    public int openLogTails() {
        return logFeed.tails();
    }

    @Override
    public void close() {
        // Log streams end first, while the HTTP server can still answer their requests.
        logFeed.endTails();
        closeAll(parts);
        dataDirLock.close();
    }

    private static Database openDatabase(ServerConfig config, List<AutoCloseable> parts) {
        JdbcTarget target;
        Optional<String> url = config.databaseUrl();
        if (url.isPresent()) {
            target = JdbcTarget.fromDatabaseUrl(url.get());
        } else {
            EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(config.postgresDir(), config.postgresPasswordFile());
            parts.add(postgres);
            target = postgres.target();
            log.info("event=embedded_postgres_started port={} dir={}", postgres.port(), config.postgresDir());
        }
        Database database = Database.connect(target);
        parts.add(0, database);
        return database;
    }

    public static ObjectMapper jsonMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }

    private static void closeAll(List<AutoCloseable> parts) {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                log.error("event=shutdown_failed part={}", part.getClass().getSimpleName(), e);
            }
        }
    }
}
