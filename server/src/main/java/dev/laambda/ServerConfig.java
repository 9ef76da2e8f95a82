package dev.laambda;

import dev.laambda.build.BuildLimits;
import dev.laambda.docker.Egress;
import dev.laambda.logs.LogStore;
import dev.laambda.platform.aws.FunctionUrlAuth;
import dev.laambda.platform.aws.KmsKey;
import dev.laambda.platform.PlatformKind;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every server setting, read once from the environment and validated at start.
 * README.md documents each one; an invalid value stops the server with a message naming it.
 */
public record ServerConfig(
        Path dataDir,
        String httpHost,
        int httpPort,
        Optional<String> databaseUrl,
        Optional<String> masterKey,
        String adminEmail,
        String defaultRegion,
        String sshHost,
        int sshPort,
        Optional<String> gitHost,
        Path buildpacksDir,
        List<String> buildpackOrder,
        BuildLimits buildLimits,
        int functionConcurrency,
        Duration idleTimeout,
        BuilderMode builder,
        InstanceMode instances,
        Optional<String> dockerHost,
        Egress functionEgress,
        Egress buildEgress,
        List<String> buildAllowed,
        String netfilterImage,
        Map<String, String> imageSettings,
        long instanceMemory,
        Path runtimeRelay,
        long repoLimit,
        Optional<URI> awsEndpoint,
        FunctionUrlAuth functionUrlAuth,
        Optional<KmsKey> kmsKey,
        PlatformKind platform,
        Duration logRetention,
        Optional<String> metricsToken,
        List<String> drainAllowed,
        Optional<Path> drainCaFile,
        LogStore logStore,
        Optional<S3Bucket> s3) {

    /**
     * The bucket every server of the database keeps artifacts in, with its own endpoint (an S3-compatible store)
     * or empty for LAAMBDA_AWS_ENDPOINT's, and its region.
     */
    public record S3Bucket(String name, Optional<URI> endpoint, String region) {
    }

    public static final String DATA = "LAAMBDA_DATA";
    public static final String HTTP_HOST = "LAAMBDA_HTTP_HOST";
    public static final String HTTP_PORT = "LAAMBDA_HTTP_PORT";
    public static final String DATABASE_URL = "DATABASE_URL";
    public static final String MASTER_KEY = "LAAMBDA_MASTER_KEY";
    public static final String ADMIN_EMAIL = "LAAMBDA_ADMIN_EMAIL";
    public static final String DEFAULT_REGION = "LAAMBDA_DEFAULT_REGION";
    public static final String SSH_HOST = "LAAMBDA_SSH_HOST";
    public static final String SSH_PORT = "LAAMBDA_SSH_PORT";
    public static final String GIT_HOST = "LAAMBDA_GIT_HOST";
    public static final String BUILDPACKS_DIR = "LAAMBDA_BUILDPACKS_DIR";
    public static final String BUILDPACKS = "LAAMBDA_BUILDPACKS";
    public static final String BUILD_TIMEOUT = "LAAMBDA_BUILD_TIMEOUT";
    /** Disk a build's files may take: build directory, the app's build cache and its temporary files together. */
    public static final String BUILD_DISK = "LAAMBDA_BUILD_DISK";
    /** How large one app's git repository may grow: a push past it is refused. */
    public static final String REPO_LIMIT = "LAAMBDA_REPO_LIMIT";
    public static final String FUNCTION_CONCURRENCY = "LAAMBDA_FUNCTION_CONCURRENCY";
    /** Memory all running function instances may take together, in bytes: past it invokes get 429, not swap. */
    public static final String INSTANCE_MEMORY = "LAAMBDA_INSTANCE_MEMORY";
    public static final String IDLE_TIMEOUT = "LAAMBDA_IDLE_TIMEOUT";
    /** How long each app's log lines are kept (and at most {@link #LOG_LINES_PER_APP} of them). */
    public static final String LOG_RETENTION = "LAAMBDA_LOG_RETENTION";
    public static final int LOG_LINES_PER_APP = 100_000;
    /** Where builds run: auto, docker, local (see TenantIsolation for what auto becomes and who may push then). */
    public static final String BUILDER = "LAAMBDA_BUILDER";
    /** How function instances run: auto, container, process (see TenantIsolation). */
    public static final String INSTANCES = "LAAMBDA_INSTANCES";
    /** The Docker engine to use (docker-java's own setting; else /var/run/docker.sock). */
    public static final String DOCKER_HOST = "DOCKER_HOST";
    /** What function containers may reach: internet (public addresses, through NAT) or none. */
    public static final String FUNCTION_EGRESS = "LAAMBDA_FUNCTION_EGRESS";
    /** What build containers may reach: internet (default: builds fetch packages) or none. */
    public static final String BUILD_EGRESS = "LAAMBDA_BUILD_EGRESS";
    /** IPv4:port pairs build containers may reach besides (a package mirror on the host's own address, say). */
    public static final String BUILD_ALLOW = "LAAMBDA_BUILD_ALLOW";
    /** The image with iptables that sets the sandbox networks' firewall on the engine's host. */
    public static final String NETFILTER_IMAGE = "LAAMBDA_NETFILTER_IMAGE";
    /** The runtime relay binary function containers start with (scripts/build-runtime-relay builds it). */
    public static final String RUNTIME_RELAY = "LAAMBDA_RUNTIME_RELAY";
    /** An AWS-compatible server every AWS client talks to instead of AWS (moto, LocalStack); unset: AWS itself. */
    public static final String AWS_ENDPOINT = "LAAMBDA_AWS_ENDPOINT";
    public static final String FUNCTION_URL_AUTH = "LAAMBDA_AWS_FUNCTION_URL_AUTH";
    /** The KMS key that seals each new release's config by envelope encryption; unset: the master key does. */
    public static final String KMS_KEY_ID = "LAAMBDA_KMS_KEY_ID";
    /** The bearer token GET /metrics (Prometheus) asks for; unset: /metrics answers 404. */
    public static final String METRICS_TOKEN = "LAAMBDA_METRICS_TOKEN";
    /** IPv4:port pairs log drains may reach though private or loopback (a collector on the operator's network). */
    public static final String DRAIN_ALLOW = "LAAMBDA_DRAIN_ALLOW";
    /** A PEM file of CA certificates drains trust besides the JDK's (a private CA's collector). */
    public static final String DRAIN_CA_FILE = "LAAMBDA_DRAIN_CA_FILE";
    public static final String LOG_STORE = "LAAMBDA_LOG_STORE";
    /** The region of that key's KMS: else the region its ARN names, else LAAMBDA_DEFAULT_REGION. */
    public static final String KMS_REGION = "LAAMBDA_KMS_REGION";
    /** The S3 bucket artifacts are kept in, shared by every server of the database; unset: this server's disk. */
    public static final String S3_BUCKET = "LAAMBDA_S3_BUCKET";
    /** An S3-compatible store (MinIO, Ceph) for that bucket; unset: LAAMBDA_AWS_ENDPOINT, else AWS. */
    public static final String S3_ENDPOINT = "LAAMBDA_S3_ENDPOINT";
    /** The bucket's region; unset: LAAMBDA_DEFAULT_REGION. */
    public static final String S3_REGION = "LAAMBDA_S3_REGION";
    /** Where new apps' functions run when apps:create names no platform: local or aws. */
    public static final String PLATFORM = "LAAMBDA_PLATFORM";

    /** Reads and validates all settings; throws with every problem listed, each naming its setting. */
    public static ServerConfig fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Path dataDir = Path.of(env.getOrDefault(DATA, defaultDataDir(env))).toAbsolutePath();
        String host = env.getOrDefault(HTTP_HOST, "0.0.0.0");
        int port = port(env, HTTP_PORT, 5000, problems);
        Optional<String> databaseUrl = nonBlank(env.get(DATABASE_URL));
        databaseUrl.ifPresent(url -> {
            if (!url.startsWith("postgres://") && !url.startsWith("postgresql://") && !url.startsWith("jdbc:postgresql://")) {
                problems.add(DATABASE_URL + " must start with postgres://, postgresql:// or jdbc:postgresql://");
            }
        });
        Optional<String> masterKey = nonBlank(env.get(MASTER_KEY));
        String adminEmail = env.getOrDefault(ADMIN_EMAIL, "admin@localhost");
        if (!adminEmail.matches(EMAIL_PATTERN)) {
            problems.add(ADMIN_EMAIL + " must be an email address like admin@example.com");
        }
        String region = env.getOrDefault(DEFAULT_REGION, "us-east-1");
        if (!region.matches(REGION_PATTERN)) {
            problems.add(DEFAULT_REGION + " must be an AWS region name like us-east-1");
        }
        String sshHost = env.getOrDefault(SSH_HOST, "0.0.0.0");
        int sshPort = port(env, SSH_PORT, 2222, problems);
        Optional<String> gitHost = nonBlank(env.get(GIT_HOST));
        Path buildpacksDir = nonBlank(env.get(BUILDPACKS_DIR)).map(Path::of).orElseGet(ServerConfig::bundledBuildpacks)
                .toAbsolutePath().normalize();
        if (!Files.isDirectory(buildpacksDir)) {
            problems.add(BUILDPACKS_DIR + " must name the buildpacks directory (" + buildpacksDir + " is not a directory)");
        }
        List<String> order = List.of(env.getOrDefault(BUILDPACKS, "python,nodejs,php,java,go").split("\\s*,\\s*"));
        if (order.stream().anyMatch(name -> !name.matches("^[a-z0-9][a-z0-9._-]*$"))) {
            problems.add(BUILDPACKS + " must be a comma-separated list of buildpack names like python,nodejs");
        }
        Duration buildTimeout = duration(env, BUILD_TIMEOUT, Duration.ofMinutes(15), problems);
        long buildDisk = bytes(env, BUILD_DISK, 4L << 30, problems);
        long repoLimit = bytes(env, REPO_LIMIT, 1L << 30, problems);
        Duration idleTimeout = duration(env, IDLE_TIMEOUT, Duration.ofMinutes(10), problems);
        Duration logRetention = duration(env, LOG_RETENTION, Duration.ofDays(7), problems);
        long instanceMemory = bytes(env, INSTANCE_MEMORY, defaultInstanceMemory(), problems);
        if (instanceMemory < MIN_INSTANCE_MEMORY) {
            problems.add(INSTANCE_MEMORY + " must hold at least one 128 MB instance: a size like 8g or 1536m (got '"
                    + env.get(INSTANCE_MEMORY) + "')");
        }
        int concurrency = 10;
        try {
            concurrency = Integer.parseInt(env.getOrDefault(FUNCTION_CONCURRENCY, "10").trim());
        } catch (NumberFormatException e) {
            concurrency = -1;
        }
        if (concurrency < 1 || concurrency > 1000) {
            problems.add(FUNCTION_CONCURRENCY + " must be a number of instances from 1 to 1000");
        }
        BuilderMode builder = mode(BuilderMode.class, env.getOrDefault(BUILDER, "auto")).orElseGet(() -> {
            problems.add(BUILDER + " must be auto, docker or local");
            return BuilderMode.AUTO;
        });
        InstanceMode instances = mode(InstanceMode.class, env.getOrDefault(INSTANCES, "auto")).orElseGet(() -> {
            problems.add(INSTANCES + " must be auto, container or process");
            return InstanceMode.AUTO;
        });
        Optional<String> dockerHost = nonBlank(env.get(DOCKER_HOST));
        Optional<Egress> egress = mode(Egress.class, env.getOrDefault(FUNCTION_EGRESS, "internet"));
        if (egress.isEmpty()) {
            problems.add(FUNCTION_EGRESS + " must be internet or none");
        }
        Optional<Egress> buildEgress = mode(Egress.class, env.getOrDefault(BUILD_EGRESS, "internet"));
        if (buildEgress.isEmpty()) {
            problems.add(BUILD_EGRESS + " must be internet or none");
        }
        List<String> buildAllowed = ipv4PortPairs(env, BUILD_ALLOW, "192.0.2.10:3141", problems);
        String netfilterImage = env.getOrDefault(NETFILTER_IMAGE, "laambda/netfilter:trixie").strip();
        // Image names per runtime family: LAAMBDA_IMAGE_PYTHON (build), LAAMBDA_RUN_IMAGE_PYTHON (run), …
        Map<String, String> images = new java.util.TreeMap<>();
        env.forEach((name, value) -> {
            if ((name.startsWith("LAAMBDA_IMAGE_") || name.startsWith("LAAMBDA_RUN_IMAGE_")) && !value.isBlank()) {
                images.put(name, value.strip());
            }
        });
        // Checked when instances start as containers (Laambda.instances): process mode needs no relay.
        Path runtimeRelay = nonBlank(env.get(RUNTIME_RELAY)).map(Path::of).orElseGet(ServerConfig::bundledRuntimeRelay)
                .toAbsolutePath().normalize();
        Optional<URI> awsEndpoint = nonBlank(env.get(AWS_ENDPOINT)).flatMap(value -> {
            Optional<URI> endpoint = httpUrl(value);
            if (endpoint.isEmpty()) {
                problems.add(AWS_ENDPOINT + " must be an http:// or https:// URL like http://127.0.0.1:5001 (got '" + value + "')");
            }
            return endpoint;
        });
        FunctionUrlAuth functionUrlAuth = mode(FunctionUrlAuth.class, env.getOrDefault(FUNCTION_URL_AUTH, "aws_iam"))
                .orElseGet(() -> {
                    problems.add(FUNCTION_URL_AUTH + " must be aws_iam or none");
                    return FunctionUrlAuth.AWS_IAM;
                });
        Optional<KmsKey> kmsKey = kmsKey(env, region, problems);
        PlatformKind platform = mode(PlatformKind.class, env.getOrDefault(PLATFORM, "local")).orElseGet(() -> {
            problems.add(PLATFORM + " must be local or aws (got '" + env.get(PLATFORM) + "')");
            return PlatformKind.LOCAL;
        });
        Optional<String> metricsToken = nonBlank(env.get(METRICS_TOKEN)).map(String::strip);
        if (metricsToken.isPresent() && metricsToken.get().length() < 16) {
            problems.add(METRICS_TOKEN + " must be at least 16 characters (a random secret, like openssl rand -hex 16)");
        }
        List<String> drainAllowed = ipv4PortPairs(env, DRAIN_ALLOW, "192.0.2.10:6514", problems);
        Optional<Path> drainCaFile = nonBlank(env.get(DRAIN_CA_FILE)).map(Path::of);
        if (drainCaFile.isPresent() && !Files.isReadable(drainCaFile.get())) {
            problems.add(DRAIN_CA_FILE + " must name a readable PEM file of CA certificates (got '"
                    + env.get(DRAIN_CA_FILE) + "')");
        }
        LogStore logStore = mode(LogStore.class, env.getOrDefault(LOG_STORE, "on")).orElseGet(() -> {
            problems.add(LOG_STORE + " must be on or off (got '" + env.get(LOG_STORE) + "')");
            return LogStore.ON;
        });
        Optional<S3Bucket> s3 = s3Bucket(env, region, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid server settings: " + String.join("; ", problems));
        }
        return new ServerConfig(dataDir, host, port, databaseUrl, masterKey, adminEmail, region, sshHost, sshPort, gitHost,
                buildpacksDir, order, new BuildLimits(buildTimeout, buildDisk), concurrency, idleTimeout, builder, instances,
                dockerHost, egress.orElse(Egress.INTERNET), buildEgress.orElse(Egress.INTERNET), buildAllowed, netfilterImage,
                Map.copyOf(images), instanceMemory, runtimeRelay, repoLimit, awsEndpoint, functionUrlAuth,
                kmsKey, platform, logRetention, metricsToken, drainAllowed, drainCaFile, logStore, s3);
    }

    /** LAAMBDA_S3_BUCKET with its endpoint and region; endpoint or region without a bucket is a mistake, said so. */
    private static Optional<S3Bucket> s3Bucket(Map<String, String> env, String defaultRegion, List<String> problems) {
        Optional<String> bucket = nonBlank(env.get(S3_BUCKET)).map(String::strip);
        Optional<String> endpointValue = nonBlank(env.get(S3_ENDPOINT)).map(String::strip);
        Optional<String> region = optionalRegion(env, S3_REGION, problems);
        Optional<URI> endpoint = endpointValue.flatMap(ServerConfig::httpUrl);
        if (endpointValue.isPresent() && endpoint.isEmpty()) {
            problems.add(S3_ENDPOINT + " must be an http:// or https:// URL like http://127.0.0.1:9000 (got '"
                    + endpointValue.get() + "')");
        }
        if (bucket.isEmpty()) {
            if (endpointValue.isPresent() || region.isPresent()) {
                problems.add((endpointValue.isPresent() ? S3_ENDPOINT : S3_REGION) + " is set but " + S3_BUCKET
                        + " is not: set the bucket too, or unset it");
            }
            return Optional.empty();
        }
        if (!bucket.get().matches(BUCKET_PATTERN)) {
            problems.add(S3_BUCKET + " must be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, "
                    + "a letter or digit first and last, like laambda-artifacts (got '" + bucket.get() + "')");
        }
        return Optional.of(new S3Bucket(bucket.get(), endpoint, region.orElse(defaultRegion)));
    }

    /** LAAMBDA_KMS_KEY_ID with its region: LAAMBDA_KMS_REGION, else the key ARN's, else the server's default. */
    private static Optional<KmsKey> kmsKey(Map<String, String> env, String defaultRegion, List<String> problems) {
        Optional<String> region = optionalRegion(env, KMS_REGION, problems);
        Optional<String> id = nonBlank(env.get(KMS_KEY_ID)).map(String::strip);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        if (!KmsKey.wellFormed(id.get())) {
            problems.add(KMS_KEY_ID + " must be a KMS key id, key ARN or alias/NAME like alias/laambda-config (got '"
                    + id.get() + "')");
            return Optional.empty();
        }
        Optional<String> arnRegion = KmsKey.regionIn(id.get());
        if (arnRegion.isPresent() && region.isPresent() && !arnRegion.equals(region)) {
            problems.add(KMS_REGION + " is " + region.get() + " but the ARN in " + KMS_KEY_ID + " names "
                    + arnRegion.get() + ": unset " + KMS_REGION + " or make them agree");
        }
        return Optional.of(new KmsKey(id.get(), region.or(() -> arnRegion).orElse(defaultRegion)));
    }

    /** A comma-separated list of IPv4:port pairs (LAAMBDA_BUILD_ALLOW, LAAMBDA_DRAIN_ALLOW); empty when unset. */
    private static List<String> ipv4PortPairs(Map<String, String> env, String name, String example,
                                              List<String> problems) {
        List<String> pairs = nonBlank(env.get(name)).map(value -> List.of(value.split("\\s*,\\s*"))).orElse(List.of());
        if (pairs.stream().anyMatch(pair -> !pair.matches(IPV4_PORT_PATTERN))) {
            problems.add(name + " must be a comma-separated list of IPv4:port pairs like " + example + " (got '"
                    + env.get(name) + "')");
        }
        return pairs;
    }

    /** An optional AWS region setting (LAAMBDA_KMS_REGION, LAAMBDA_S3_REGION), refused unless it names a region. */
    private static Optional<String> optionalRegion(Map<String, String> env, String name, List<String> problems) {
        Optional<String> region = nonBlank(env.get(name)).map(String::strip);
        if (region.isPresent() && !region.get().matches(REGION_PATTERN)) {
            problems.add(name + " must be an AWS region name like eu-west-1 (got '" + region.get() + "')");
        }
        return region;
    }

    private static final long MIN_INSTANCE_MEMORY = 128L << 20;

    /** 75% of this machine's memory (a container's limit, where the server runs in one), leaving room for the server. */
    private static long defaultInstanceMemory() {
        long total = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
        return Math.max(MIN_INSTANCE_MEMORY, total / 4 * 3);
    }

    /** Next to the server jar (a release or the Docker image), else in the source tree the jar was built in. */
    private static Path bundledBuildpacks() {
        try {
            Path jarDir = Path.of(ServerConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
            for (Path candidate : List.of(jarDir.resolve("buildpacks"), jarDir.resolve("../../buildpacks"),
                    jarDir.resolve("../../../buildpacks"))) {
                if (Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // Fall through to the working directory.
        }
        return Path.of("buildpacks");
    }

    /** Next to the server jar (a release or the Docker image), else where scripts/build-runtime-relay writes it. */
    private static Path bundledRuntimeRelay() {
        try {
            Path jarDir = Path.of(ServerConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
            for (Path candidate : List.of(jarDir.resolve("runtime-relay"), jarDir.resolve("../../runtime-relay/build/runtime-relay"))) {
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // Fall through to the working directory.
        }
        return Path.of("runtime-relay", "build", "runtime-relay");
    }

    /** Seconds, or a number with s, m, h or d: 900, 900s, 15m, 1h, 7d. */
    private static Duration duration(Map<String, String> env, String name, Duration fallback, List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d{1,6})([smhd]?)$").matcher(value.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            problems.add(name + " must be a duration like 900, 900s, 15m, 1h or 7d (got '" + value + "')");
            return fallback;
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    /** Bytes, or a number with k, m or g (1024-based, as Docker's --memory): 4g, 512m. */
    private static long bytes(Map<String, String> env, String name, long fallback, List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d{1,12})([kmg]?)b?$")
                .matcher(value.trim().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            problems.add(name + " must be a size like 4g, 512m or 1048576 (bytes) (got '" + value + "')");
            return fallback;
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "k" -> amount << 10;
            case "m" -> amount << 20;
            case "g" -> amount << 30;
            default -> amount;
        };
    }

    /** An absolute http(s) URL with a host and nothing after the path (no query, no fragment). */
    private static Optional<URI> httpUrl(String value) {
        try {
            URI uri = new URI(value);
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (http && uri.getHost() != null && uri.getRawQuery() == null && uri.getRawFragment() == null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // Reported below as the setting's problem.
        }
        return Optional.empty();
    }

    /** An IPv4 address (four numbers up to 255) and a port. */
    static final String IPV4_PORT_PATTERN = "^((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d):"
            + "([1-9]\\d{0,3}|[1-5]\\d{4}|6[0-4]\\d{3}|65[0-4]\\d{2}|655[0-2]\\d|6553[0-5])$";
    public static final String EMAIL_PATTERN = "^[^@\\s]+@[^@\\s]+$";
    static final String BUCKET_PATTERN = "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$";
    public static final String REGION_PATTERN = "^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d{1,2}$";

    public Path postgresDir() {
        return dataDir.resolve("postgres");
    }

    /** The embedded PostgreSQL superuser's password (mode 600), made on first start. */
    public Path postgresPasswordFile() {
        return dataDir.resolve("postgres.password");
    }

    public Path reposDir() {
        return dataDir.resolve("repos");
    }

    public Path artifactsDir() {
        return dataDir.resolve("artifacts");
    }

    public Path cacheDir() {
        return dataDir.resolve("cache");
    }

    /** Build caches a buildpack shares between apps (LAAMBDA_SHARED_CACHE: the PHP runtime layer). */
    public Path sharedCacheDir() {
        return dataDir.resolve("cache-shared");
    }

    /** Compressed file contents by sha256, shared by every app's artifacts (see ArtifactPacker). */
    public Path deflatedDir() {
        return dataDir.resolve("deflated");
    }

    public Path workspacesDir() {
        return dataDir.resolve("workspaces");
    }

    public Path unpackedDir() {
        return dataDir.resolve("functions");
    }

    public Path runtimesDir() {
        return dataDir.resolve("runtimes");
    }

    /** One directory per container instance, holding the Unix socket of its Runtime API. */
    public Path runtimeApiDir() {
        return dataDir.resolve("runtime-api");
    }

    public Path sshHostKeyFile() {
        return dataDir.resolve("ssh_host_key");
    }

    public Path masterKeyFile() {
        return dataDir.resolve("master.key");
    }

    private static String defaultDataDir(Map<String, String> env) {
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".laambda-server").toString();
    }

    private static int port(Map<String, String> env, String name, int fallback, List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65535) {
                problems.add(name + " must be a port number 0-65535 (got " + value + ")");
            }
            return port;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a port number 0-65535 (got '" + value + "')");
            return fallback;
        }
    }

    /** The mode a setting's value names as the setting spells it, in lower case (auto, container, …). */
    private static <E extends Enum<E>> Optional<E> mode(Class<E> modes, String value) {
        return java.util.Arrays.stream(modes.getEnumConstants())
                .filter(mode -> mode.name().toLowerCase(java.util.Locale.ROOT).equals(value.strip())).findFirst();
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
