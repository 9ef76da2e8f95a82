package dev.laambda.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Docker network for tenant code (function instances, or builds), and the host firewall around it: a bridge
 * of its own where a container reaches neither the host (any of its addresses), nor another container, nor a
 * private or link-local address — only the internet, or nothing, and the few host:port pairs the operator
 * allows (see isolate-network.sh beside this class). Made or checked at every server start; if either fails,
 * the server must not run tenants in containers.
 */
public final class SandboxNetwork {

    private static final Logger log = LoggerFactory.getLogger(SandboxNetwork.class);
    private static final String SCRIPT = "isolate-network.sh";

    /** What runs on the network: each purpose has its own networks and bridges (one per egress mode). */
    public enum Purpose {
        FUNCTIONS("laambda-functions", 0), BUILDS("laambda-builds", 2);

        private final String network;
        private final int firstBridge;

        Purpose(String network, int firstBridge) {
            this.network = network;
            this.firstBridge = firstBridge;
        }
    }

    /**
     * What containers on the network may reach beyond it: {@code egress}, plus {@code allowed} "IPv4:port"
     * pairs (a package mirror on the host, say), even where they are the host's or private addresses.
     */
    public record Reach(Egress egress, List<String> allowed) {

        public Reach {
            allowed = List.copyOf(allowed);
        }

        public static Reach of(Egress egress) {
            return new Reach(egress, List.of());
        }
    }

    private final String name;
    private final String subnet;
    private final Egress egress;
    private final Path resolvConf;
    private final String toolImage;

    private SandboxNetwork(String name, String subnet, Egress egress, Path resolvConf, String toolImage) {
        this.toolImage = toolImage;
        this.name = name;
        this.subnet = subnet;
        this.egress = egress;
        this.resolvConf = resolvConf;
    }

    /**
     * The network for {@code purpose} and {@code reach}'s egress (one per egress mode, shared by every server
     * on this engine), created when missing, with its firewall rules set on the engine's host by
     * {@code netfilterImage}; the containers' resolv.conf (the engine host's name servers, or none without
     * egress) is kept in {@code stateDir}.
     *
     * @return the network, or the one-line reason the engine cannot isolate tenant code
     */
    public static Result ensure(DockerEngine engine, Purpose purpose, Reach reach, String netfilterImage, Path stateDir) {
        Egress egress = reach.egress();
        String name = purpose.network + (egress == Egress.INTERNET ? "" : "-no-egress");
        String bridge = "laambda" + (purpose.firstBridge + (egress == Egress.INTERNET ? 0 : 1));
        try {
            engine.requireImage(netfilterImage, "Firewall", "LAAMBDA_NETFILTER_IMAGE");
            String subnet = subnet(engine.client(), name, bridge);
            List<String> report = applyRules(engine.client(), netfilterImage, bridge, subnet, reach);
            List<String> nameServers = List.of(report.get(report.size() - 1).replaceFirst("^dns", "").strip().split("\\s+"))
                    .stream().filter(server -> !server.isEmpty()).toList();
            Path resolvConf = writeResolvConf(stateDir.resolve("resolv.conf-" + name), nameServers);
            log.info("event=sandbox_network network={} bridge={} subnet={} egress={} name_servers={} rules=\"{}\"", name,
                    bridge, subnet, egress.setting(), String.join(",", nameServers), report.get(report.size() - 2));
            return new Result(Optional.of(new SandboxNetwork(name, subnet, egress, resolvConf, netfilterImage)), "");
        } catch (IOException e) {
            return new Result(Optional.empty(), "could not write the " + name + " network's resolv.conf: " + e.getMessage());
        } catch (RuntimeException e) {
            return new Result(Optional.empty(), "the Docker engine cannot isolate " + purpose.name().toLowerCase(java.util.Locale.ROOT) + " in containers ("
                    + DockerEngine.firstLine(e) + ")");
        }
    }

    /** The outcome of {@link #ensure}: the network, or why there is none (one line). */
    public record Result(Optional<SandboxNetwork> network, String problem) {
    }

    /** The Docker network's name, for a container's network mode. */
    public String name() {
        return name;
    }

    public String subnet() {
        return subnet;
    }

    public Egress egress() {
        return egress;
    }

    /** The image that set the firewall: on the engine for sure, for the server's own small containers. */
    public String toolImage() {
        return toolImage;
    }

    /**
     * The resolv.conf to bind over a container's own: Docker's embedded resolver (127.0.0.11) answers only
     * where Docker manages iptables, so containers ask the engine host's name servers directly.
     */
    public Path resolvConf() {
        return resolvConf;
    }

    private static Path writeResolvConf(Path file, List<String> nameServers) throws IOException {
        StringBuilder text = new StringBuilder("# Written by the Laambda server for its function containers.\n");
        if (nameServers.isEmpty()) {
            text.append("# No name servers: LAAMBDA_FUNCTION_EGRESS=none, or the Docker host has none but on loopback.\n");
        }
        nameServers.forEach(server -> text.append("nameserver ").append(server).append('\n'));
        Files.createDirectories(file.getParent());
        Path written = Files.writeString(file.resolveSibling(file.getFileName() + ".new"), text);
        Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-r--r--"));
        return Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String subnet(DockerClient docker, String name, String bridge) {
        Network network = inspect(docker, name).orElseGet(() -> create(docker, name, bridge));
        String driverBridge = network.getOptions() == null ? null : network.getOptions().get("com.docker.network.bridge.name");
        if (!bridge.equals(driverBridge)) {
            throw new IllegalStateException("network " + name + " exists but is not on bridge " + bridge
                    + ": remove it (docker network rm " + name + ") and start again");
        }
        return network.getIpam().getConfig().get(0).getSubnet();
    }

    private static Optional<Network> inspect(DockerClient docker, String name) {
        try {
            return Optional.of(docker.inspectNetworkCmd().withNetworkId(name).exec());
        } catch (NotFoundException missing) {
            return Optional.empty();
        }
    }

    private static Network create(DockerClient docker, String name, String bridge) {
        try {
            docker.createNetworkCmd().withName(name).withDriver("bridge").withCheckDuplicate(true)
                    .withOptions(Map.of("com.docker.network.bridge.name", bridge,
                            // Docker's own switch for what the firewall also drops (where Docker manages iptables).
                            "com.docker.network.bridge.enable_icc", "false"))
                    .withLabels(Map.of("dev.laambda.purpose", name))
                    .exec();
        } catch (ConflictException createdMeanwhile) {
            log.debug("event=function_network_created_by_another_server network={}", name);
        }
        return inspect(docker, name).orElseThrow(() -> new IllegalStateException("network " + name + " vanished"));
    }

    /** Runs the firewall script on the engine's host network; its output lines, or a failure naming why. */
    private static List<String> applyRules(DockerClient docker, String image, String bridge, String subnet, Reach reach) {
        String id = docker.createContainerCmd(image)
                .withEntrypoint("sh", "-c", script(), "isolate-network", bridge, subnet, reach.egress().setting(),
                        String.join(",", reach.allowed()))
                .withLabels(Map.of("dev.laambda.purpose", "firewall"))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("host")
                        .withCapAdd(Capability.NET_ADMIN, Capability.NET_RAW))
                .exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            Integer status = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(60, TimeUnit.SECONDS);
            List<String> lines = output(docker, id).strip().lines().toList();
            String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
            if (status == null || status != 0 || lines.size() < 2 || !last.startsWith("dns")) {
                throw new IllegalStateException("the firewall rules could not be set: " + (last.isEmpty() ? "exit " + status : last));
            }
            return lines;
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
        }
    }

    private static String output(DockerClient docker, String id) {
        StringBuilder text = new StringBuilder();
        try {
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(false)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return text.toString();
    }

    private static String script() {
        try (InputStream in = SandboxNetwork.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the server jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
