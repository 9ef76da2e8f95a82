package dev.laambda.docker;

import dev.laambda.testing.TestDocker;
import dev.laambda.testing.TestNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Containers in the function sandbox, probed from inside with bash's /dev/tcp: the host answers on every
 * address of its own, yet a sandboxed container reaches none of them, nor a neighbour on the same
 * network, nor the cloud metadata address; and it holds no capability, no IPv6, bounded processes.
 */
class SandboxNetworkTest {

    private static final String IMAGE = "laambda/stack-run:trixie";
    private static DockerEngine docker;
    private static SandboxNetwork network;
    private static ServerSocket hostListener;
    private static Path stateDir;

    @BeforeAll
    static void isolate() throws IOException {
        docker = TestDocker.require();
        stateDir = Files.createTempDirectory("laambda-network-test");
        SandboxNetwork.Result result = SandboxNetwork.ensure(docker, SandboxNetwork.Purpose.FUNCTIONS, SandboxNetwork.Reach.of(Egress.INTERNET), "laambda/netfilter:trixie", stateDir);
        assertTrue(result.network().isPresent(), result.problem());
        network = result.network().get();
        // Stands in for the server's HTTP, SSH and PostgreSQL ports: a port on every address of the host.
        hostListener = TestNetwork.listener("0.0.0.0");
    }

    @AfterAll
    static void close() throws IOException {
        if (hostListener != null) {
            hostListener.close();
        }
    }

    @Test
    void aSandboxedContainerReachesNoAddressOfTheHostNorTheMetadataService() throws Exception {
        int port = hostListener.getLocalPort();
        List<String> targets = new ArrayList<>();
        targets.add(TestNetwork.gateway(docker, network.name()) + ":" + port);
        TestNetwork.hostAddresses(true).forEach(address -> targets.add(address + ":" + port));
        targets.add("169.254.169.254:80");
        // From the host itself each of its addresses answers: what the sandbox cannot reach is really there.
        for (String target : targets.subList(0, targets.size() - 1)) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new InetSocketAddress(target.split(":")[0], port), 2000);
            }
        }

        String fromSandbox = run(ContainerSpec.Sandbox.lambda(network.name()), probe(targets));
        assertEquals(targets.size(), fromSandbox.lines().filter(line -> line.startsWith("closed ")).count(), fromSandbox);
    }

    @Test
    void aSandboxedContainerCannotReachItsNeighbourOnTheSameNetwork() throws Exception {
        List<String> output = new CopyOnWriteArrayList<>();
        ContainerSpec listener = spec("public.ecr.aws/lambda/python:3.13", ContainerSpec.Sandbox.lambda(network.name()), List.of(),
                List.of("python3", "-c", "import socket,time\ns=socket.socket()\ns.bind(('0.0.0.0',8080))\ns.listen()\n"
                        + "print('listening',flush=True)\nwhile True: s.accept()[0].close()"));
        try (Container neighbour = Container.start(docker, listener, output::add)) {
            String address = docker.client().inspectContainerCmd(neighbour.id()).exec().getNetworkSettings().getNetworks()
                    .get(network.name()).getIpAddress();
            waitFor(() -> output.contains("listening"));
            String seen = run(ContainerSpec.Sandbox.lambda(network.name()), probe(List.of(address + ":8080")));
            assertTrue(seen.startsWith("closed "), seen);
        }
    }

    @Test
    void aSandboxedContainerHasNoCapabilitiesNoIpv6AndAProcessLimit() throws Exception {
        String seen = run(ContainerSpec.Sandbox.lambda(network.name()), List.of("bash", "-c",
                "grep -E '^Cap(Eff|Prm|Bnd)|^NoNewPrivs' /proc/self/status; cat /sys/fs/cgroup/pids.max;"
                        + " cat /proc/sys/net/ipv6/conf/all/disable_ipv6; ulimit -n"));
        assertTrue(seen.contains("CapEff:\t0000000000000000"), seen);
        assertTrue(seen.contains("CapBnd:\t0000000000000000"), seen);
        assertTrue(seen.contains("NoNewPrivs:\t1"), seen);
        assertTrue(seen.lines().anyMatch(line -> line.equals("1024")), "pids.max and nofile: " + seen);
        assertTrue(seen.lines().anyMatch(line -> line.equals("1")), "IPv6 off: " + seen);
    }

    @Test
    void withEgressANameResolvesThroughTheHostsNameServersAndWithoutEgressNothingDoes() throws Exception {
        List<String> resolve = List.of("bash", "-c", "getent hosts pypi.org >/dev/null && echo resolved || echo unresolved");
        assertEquals("resolved", run(IMAGE, ContainerSpec.Sandbox.lambda(network.name()),
                List.of(new ContainerSpec.Mount(network.resolvConf(), "/etc/resolv.conf", true)), resolve));

        SandboxNetwork closed = SandboxNetwork.ensure(docker, SandboxNetwork.Purpose.FUNCTIONS, SandboxNetwork.Reach.of(Egress.NONE), "laambda/netfilter:trixie", stateDir).network()
                .orElseThrow();
        assertEquals("unresolved", run(IMAGE, ContainerSpec.Sandbox.lambda(closed.name()),
                List.of(new ContainerSpec.Mount(closed.resolvConf(), "/etc/resolv.conf", true)), resolve));
    }

    @Test
    void ensuringTheNetworkAgainKeepsOneSetOfRules() {
        SandboxNetwork.Result again = SandboxNetwork.ensure(docker, SandboxNetwork.Purpose.FUNCTIONS, SandboxNetwork.Reach.of(Egress.INTERNET), "laambda/netfilter:trixie", stateDir);
        assertEquals(network.name(), again.network().orElseThrow().name());
        assertEquals(network.subnet(), again.network().orElseThrow().subnet());
    }

    @Test
    void aFirewallImageThatIsMissingIsTheReasonInOneLine() {
        SandboxNetwork.Result result = SandboxNetwork.ensure(docker, SandboxNetwork.Purpose.FUNCTIONS, SandboxNetwork.Reach.of(Egress.INTERNET), "laambda/no-such-netfilter:1", stateDir);
        assertTrue(result.network().isEmpty());
        assertTrue(result.problem().contains("laambda/no-such-netfilter:1") && !result.problem().contains("\n"),
                result.problem());
    }

    /** One line per target: "open HOST:PORT" or "closed HOST:PORT" (a 2-second connect timeout). */
    private static List<String> probe(List<String> targets) {
        StringBuilder script = new StringBuilder();
        for (String target : targets) {
            String[] hostPort = target.split(":");
            script.append("if timeout 2 bash -c 'exec 3<>/dev/tcp/").append(hostPort[0]).append('/').append(hostPort[1])
                    .append("' 2>/dev/null; then echo 'open ").append(target).append("'; else echo 'closed ")
                    .append(target).append("'; fi\n");
        }
        return List.of("bash", "-c", script.toString());
    }

    private static String run(ContainerSpec.Sandbox sandbox, List<String> command) throws Exception {
        return run(IMAGE, sandbox, List.of(), command);
    }

    private static String run(String image, ContainerSpec.Sandbox sandbox, List<ContainerSpec.Mount> mounts,
                              List<String> command) throws Exception {
        List<String> output = new CopyOnWriteArrayList<>();
        ContainerSpec spec = spec(image, sandbox, mounts, command);
        try (Container container = Container.start(docker, spec, output::add)) {
            int status = container.exit().get(60, TimeUnit.SECONDS);
            container.outputEnded().get(10, TimeUnit.SECONDS);
            assertEquals(0, status, String.join("\n", output));
        }
        return String.join("\n", output);
    }

    private static ContainerSpec spec(String image, ContainerSpec.Sandbox sandbox, List<ContainerSpec.Mount> mounts,
                                      List<String> command) {
        return new ContainerSpec(image, List.of(command.get(0)), command.subList(1, command.size()), Map.of(), "993:990", "/",
                mounts, 256L << 20, 0, true, Map.of(), Optional.of("laambda-network-test"), sandbox, Set.of());
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertTrue(condition.getAsBoolean(), "timed out");
    }
}
