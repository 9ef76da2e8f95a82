package dev.laambda.drains;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;

/**
 * What a drain may connect to: the same rule as build and function containers (docker/isolate-network.sh) —
 * public addresses only, never private, loopback, link-local, CGNAT or reserved ones — except the IPv4:port
 * pairs the operator allows in LAAMBDA_DRAIN_ALLOW. The host is resolved when the drain is added and again at
 * every connection, and the connection goes to the address that was checked, so a name that later resolves to
 * an inside address (DNS rebinding) gets nowhere.
 */
public final class DrainEgress {

    /** How names become addresses (the system's resolver; tests may answer for it). */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** IPv4 ranges no drain reaches unless allowed, as isolate-network.sh drops them for containers. */
    private static final List<int[]> REFUSED_V4 = List.of(
            cidr(0, 0, 0, 0, 8), cidr(10, 0, 0, 0, 8), cidr(100, 64, 0, 0, 10), cidr(127, 0, 0, 0, 8),
            cidr(169, 254, 0, 0, 16), cidr(172, 16, 0, 0, 12), cidr(192, 0, 0, 0, 24), cidr(192, 168, 0, 0, 16),
            cidr(198, 18, 0, 0, 15), cidr(224, 0, 0, 0, 3));

    private final Set<String> allowed;
    private final Resolver resolver;

    /** {@code allowed}: "IPv4:port" pairs reachable even though private (LAAMBDA_DRAIN_ALLOW). */
    public DrainEgress(List<String> allowed, Resolver resolver) {
        this.allowed = Set.copyOf(allowed);
        this.resolver = resolver;
    }

    public static DrainEgress system(List<String> allowed) {
        return new DrainEgress(allowed, InetAddress::getAllByName);
    }

    /**
     * The addresses of the drain's host it may connect to, first the one to try; refuses (one line, 400) when the
     * name does not resolve or resolves to no address a drain may reach.
     */
    public List<InetSocketAddress> addresses(DrainUrl url) {
        InetAddress[] resolved;
        try {
            resolved = resolver.resolve(url.host());
        } catch (UnknownHostException e) {
            throw LaambdaException.invalid("drain_host_unknown", "Drain host '" + Echo.of(url.host())
                    + "' does not resolve: check the URL's host name.");
        }
        List<InetSocketAddress> usable = java.util.Arrays.stream(resolved)
                .filter(address -> isPublic(address) || allowed.contains(address.getHostAddress() + ":" + url.port()))
                .map(address -> new InetSocketAddress(address, url.port()))
                .toList();
        if (usable.isEmpty()) {
            throw LaambdaException.invalid("drain_address_refused", "Drain host '" + Echo.of(url.host())
                    + "' is not a public address (private, loopback, link-local and CGNAT ones are refused): the "
                    + "server's operator may allow it with LAAMBDA_DRAIN_ALLOW=IP:" + url.port() + ".");
        }
        return usable;
    }

    /** Whether any drain may reach the address without the operator's leave. */
    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int value = ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
            return REFUSED_V4.stream().noneMatch(range -> (value & range[1]) == range[0]);
        }
        if (address instanceof Inet6Address) {
            if ((bytes[0] & 0xfe) == 0xfc) {
                return false; // fc00::/7, unique local
            }
            // An IPv4 address inside IPv6 (NAT64 64:ff9b::/96, 6to4 2002::/16) is judged as that IPv4 address.
            if (bytes[0] == 0 && bytes[1] == 0x64 && bytes[2] == (byte) 0xff && bytes[3] == (byte) 0x9b) {
                return isPublic(v4(bytes, 12));
            }
            if (bytes[0] == 0x20 && bytes[1] == 0x02) {
                return isPublic(v4(bytes, 2));
            }
            return true;
        }
        return false;
    }

    private static InetAddress v4(byte[] bytes, int from) {
        try {
            return InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, from, from + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int[] cidr(int a, int b, int c, int d, int bits) {
        int mask = bits == 0 ? 0 : -1 << (32 - bits);
        return new int[] {((a << 24) | (b << 16) | (c << 8) | d) & mask, mask};
    }
}
