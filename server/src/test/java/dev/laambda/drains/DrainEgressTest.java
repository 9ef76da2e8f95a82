package dev.laambda.drains;

import dev.laambda.Laambda;
import dev.laambda.LaambdaException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which addresses a drain may reach: the builds' rule, the operator's exceptions, and a check at every connection. */
class DrainEgressTest {

    @Test
    void publicAddressesPassAndPrivateLoopbackLinkLocalCgnatAndTheirIpv6DisguisesDoNot() throws Exception {
        for (String reachable : List.of("8.8.8.8", "1.1.1.1", "2001:4860:4860::8888")) {
            assertTrue(DrainEgress.isPublic(InetAddress.getByName(reachable)), reachable);
        }
        for (String refused : List.of("127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "100.127.255.254", "0.0.0.0", "192.0.0.8", "198.18.0.1", "224.0.0.1", "255.255.255.255",
                "::1", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "64:ff9b::a00:1", "2002:a00:1::")) {
            assertFalse(DrainEgress.isPublic(InetAddress.getByName(refused)), refused);
        }
    }

    @Test
    void theOperatorAllowsExactlyTheIpAndPortPairsItNames() {
        DrainEgress egress = new DrainEgress(List.of("10.0.0.5:6514"), host -> new InetAddress[] {
                InetAddress.getByName("10.0.0.5")});

        assertEquals(1, egress.addresses(DrainUrl.parse("syslog+tls://collector.internal:6514")).size());
        LaambdaException otherPort = assertThrows(LaambdaException.class,
                () -> egress.addresses(DrainUrl.parse("syslog+tls://collector.internal:514")));
        assertEquals("drain_address_refused", otherPort.code());
    }

    @Test
    void aNameThatResolvesInsideByTheTimeOfConnectingIsRefusedThen() {
        AtomicInteger lookups = new AtomicInteger();
        DrainEgress egress = new DrainEgress(List.of(), host -> new InetAddress[] {InetAddress.getByName(
                lookups.getAndIncrement() == 0 ? "93.184.216.34" : "169.254.169.254")});
        DrainUrl url = DrainUrl.parse("syslog://rebinding.example:514");
        egress.addresses(url); // accepted when added

        DrainConnector connector = new DrainConnector(egress, DrainTls.trusting(Optional.empty()), Laambda.jsonMapper(),
                java.time.Duration.ofSeconds(1));
        IOException refused = assertThrows(IOException.class, () -> connector.open(url, "demo"));

        assertTrue(refused.getMessage().contains("is not a public address"), refused.getMessage());
    }

    @Test
    void urlsShownInLinesAndListsLeaveOutWhatMayBeASecret() {
        assertEquals("https://logs.example.com:443/…", DrainUrl.parse("https://u:token@logs.example.com/in?k=1").shown());
        assertEquals("syslog+tls://logs.papertrailapp.com:12345",
                DrainUrl.parse("syslog+tls://logs.papertrailapp.com:12345").shown());
        assertEquals("https://logs.example.com:8443", DrainUrl.parse("https://logs.example.com:8443").shown());
    }
}
