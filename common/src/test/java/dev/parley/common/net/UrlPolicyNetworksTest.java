package dev.parley.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class UrlPolicyNetworksTest {

    static boolean internal(String address) throws Exception {
        InetAddress a = UrlPolicy.embeddedIpv4(InetAddress.getByName(address));
        return UrlPolicy.INTERNAL.stream().anyMatch(n -> n.contains(a));
    }

    @Test
    void internalRangesAreRecognised() throws Exception {
        for (String a : new String[] { "127.0.0.1", "127.255.0.9", "10.20.30.40", "172.16.0.1", "172.31.255.255",
                "192.168.0.1", "169.254.169.254", "100.64.0.1", "100.127.255.254", "0.0.0.0", "224.0.0.251",
                "255.255.255.255", "::1", "::", "fe80::1", "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1",
                "64:ff9b::a00:1" }) {
            assertTrue(internal(a), a);
        }
    }

    @Test
    void publicAddressesPass() throws Exception {
        for (String a : new String[] { "93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111" }) {
            assertFalse(internal(a), a);
        }
    }

    @Test
    void anAllowedNetworkIsParsedAndMatched() throws Exception {
        var loopback = UrlPolicy.Network.parse("127.0.0.0/8");
        assertTrue(loopback.contains(InetAddress.getByName("127.0.0.1")));
        assertFalse(loopback.contains(InetAddress.getByName("128.0.0.1")));
        assertFalse(loopback.contains(InetAddress.getByName("::1")), "an IPv4 network never matches IPv6");
        assertEquals(32, UrlPolicy.Network.parse("10.0.0.1").bits());
    }
}
