package dev.laambda.testing;

import dev.laambda.docker.DockerEngine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The addresses a sandboxed container might try to reach the host at. */
public final class TestNetwork {

    private TestNetwork() {
    }

    /** The host's own IPv4 addresses (eth0 …, loopback when asked), not those of Docker's bridges. */
    public static List<String> hostAddresses(boolean withLoopback) {
        try {
            List<String> addresses = new ArrayList<>();
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                String name = nic.getName();
                if (!nic.isUp() || (nic.isLoopback() && !withLoopback) || name.startsWith("laambda")
                        || name.startsWith("veth") || name.startsWith("br-") || name.startsWith("docker")) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        addresses.add(address.getHostAddress());
                    }
                }
            }
            return addresses;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port on {@code address} ("0.0.0.0": every address of the host) that accepts and closes every connection. */
    public static java.net.ServerSocket listener(String address) {
        try {
            java.net.ServerSocket socket = new java.net.ServerSocket();
            socket.bind(new java.net.InetSocketAddress(address, 0));
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        socket.accept().close();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "test-listener");
            acceptor.setDaemon(true);
            acceptor.start();
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Docker network's gateway: the host's address on its bridge. */
    public static String gateway(DockerEngine docker, String network) {
        return docker.client().inspectNetworkCmd().withNetworkId(network).exec().getIpam().getConfig().get(0).getGateway();
    }
}
