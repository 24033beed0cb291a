package dev.parley.common.net;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Server-side request forgery protection. An endpoint URL must be http(s) (https only when configured), and every
 * address its host resolves to must be a public unicast address: loopback, private, link-local (cloud metadata
 * 169.254.169.254 included), CGNAT, multicast, unspecified and reserved ranges are refused unless an allowed network
 * covers them. The check runs when an endpoint is saved and again before every connection, on the very address then
 * connected to, so a name that is re-pointed at an internal address later (DNS rebinding) is refused as well.
 * <p>
 * Shared by every service that connects to URLs its callers give (webhook endpoints, knowledge URL sources); each
 * service builds one from its own configuration.
 */
public final class UrlPolicy {

    /** Why a URL or address is refused; the message is meant for the API caller. */
    public static final class Refused extends Exception {

        /** What was wrong: the URL's form, its host not resolving, or an internal address. */
        public enum Kind {
            FORM, UNRESOLVED, INTERNAL
        }

        private final Kind kind;

        public Refused(String message) {
            this(Kind.FORM, message);
        }

        public Refused(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    /** A URL that passed the policy, with the addresses that were checked; connect to one of these only. */
    public record Target(URI uri, boolean https, String host, int port, String pathAndQuery, List<InetAddress> addresses) {
    }

    static final List<Network> INTERNAL = List.of(
            Network.parse("0.0.0.0/8"), // "this" network, unspecified
            Network.parse("10.0.0.0/8"),
            Network.parse("100.64.0.0/10"), // CGNAT
            Network.parse("127.0.0.0/8"),
            Network.parse("169.254.0.0/16"), // link-local, cloud metadata
            Network.parse("172.16.0.0/12"),
            Network.parse("192.0.0.0/24"), // IETF protocol assignments
            Network.parse("192.0.2.0/24"), // documentation
            Network.parse("192.88.99.0/24"), // 6to4 relay
            Network.parse("192.168.0.0/16"),
            Network.parse("198.18.0.0/15"), // benchmarking
            Network.parse("198.51.100.0/24"), // documentation
            Network.parse("203.0.113.0/24"), // documentation
            Network.parse("224.0.0.0/4"), // multicast
            Network.parse("240.0.0.0/4"), // reserved, broadcast
            Network.parse("::/128"), // unspecified
            Network.parse("::1/128"), // loopback
            Network.parse("64:ff9b:1::/48"), // local NAT64
            Network.parse("100::/64"), // discard
            Network.parse("2001:db8::/32"), // documentation
            Network.parse("fc00::/7"), // unique local (AWS IPv6 metadata fd00:ec2::254 included)
            Network.parse("fe80::/10"), // link-local
            Network.parse("ff00::/8")); // multicast

    private final HostResolver resolver;
    private final boolean httpsOnly;
    private final List<Network> allowed;

    /**
     * @param resolver        turns host names into addresses
     * @param httpsOnly       refuse plain http URLs
     * @param allowedNetworks CIDR blocks that may be connected to although internal (blank entries are ignored)
     * @throws IllegalArgumentException when an allowed network is not a CIDR block
     */
    public UrlPolicy(HostResolver resolver, boolean httpsOnly, List<String> allowedNetworks) {
        this.resolver = resolver;
        this.httpsOnly = httpsOnly;
        var networks = new ArrayList<Network>();
        for (String cidr : allowedNetworks) {
            if (cidr != null && !cidr.isBlank()) {
                networks.add(Network.parse(cidr.trim()));
            }
        }
        this.allowed = List.copyOf(networks);
    }

    public boolean httpsOnly() {
        return httpsOnly;
    }

    /** Checks the URL's form only (no DNS): what can be told to the caller before anything is resolved. */
    public URI checkForm(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new Refused("must be an http or https URL");
        }
        if (scheme.equals("http") && httpsOnly) {
            throw new Refused("must be an https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("must not contain credentials");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new Refused("must have a host");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("must not have a fragment");
        }
        return uri;
    }

    /** Checks the form and resolves the host; every address must be allowed. */
    public Target check(String url) throws Refused {
        URI uri = checkForm(url);
        boolean https = uri.getScheme().equalsIgnoreCase("https");
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new Refused(Refused.Kind.UNRESOLVED, "host " + host + " does not resolve");
        }
        if (addresses.isEmpty()) {
            throw new Refused(Refused.Kind.UNRESOLVED, "host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            checkAddress(host, address);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String pathAndQuery = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new Target(uri, https, host, port, pathAndQuery, addresses);
    }

    /** Refuses an internal address unless an allowed network covers it. */
    public void checkAddress(String host, InetAddress address) throws Refused {
        InetAddress effective = embeddedIpv4(address);
        for (Network network : allowed) {
            if (network.contains(address) || network.contains(effective)) {
                return;
            }
        }
        for (Network network : INTERNAL) {
            if (network.contains(effective)) {
                throw new Refused(Refused.Kind.INTERNAL, "host " + host + " resolves to " + address.getHostAddress()
                        + ", an internal address (loopback, private, link-local, CGNAT, metadata, multicast or reserved)");
            }
        }
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible or NAT64 IPv6 address; else the address itself. */
    static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        boolean zeroHead = true;
        for (int i = 0; i < 10; i++) {
            zeroHead &= b[i] == 0;
        }
        boolean mapped = zeroHead && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        boolean compatible = zeroHead && b[10] == 0 && b[11] == 0
                && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1));
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 &= b[i] == 0;
        }
        if (mapped || compatible || nat64) {
            try {
                return InetAddress.getByAddress(new byte[] { b[12], b[13], b[14], b[15] });
            } catch (UnknownHostException impossible) {
                return address;
            }
        }
        return address;
    }

    /** A CIDR block. */
    record Network(byte[] prefix, int bits) {

        static Network parse(String cidr) {
            int slash = cidr.indexOf('/');
            String host = slash < 0 ? cidr : cidr.substring(0, slash);
            try {
                // Only literal addresses: getByName does not touch DNS for them.
                if (!host.matches("[0-9a-fA-F:.]+")) {
                    throw new IllegalArgumentException("not an IP network: " + cidr);
                }
                byte[] address = InetAddress.getByName(host).getAddress();
                int bits = slash < 0 ? address.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("bad prefix length: " + cidr);
                }
                return new Network(address, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not an IP network: " + cidr, e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != prefix.length) {
                return false;
            }
            var mask = BigInteger.ONE.shiftLeft(prefix.length * 8).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(prefix.length * 8 - bits).subtract(BigInteger.ONE));
            return new BigInteger(1, candidate).and(mask).equals(new BigInteger(1, prefix).and(mask));
        }
    }
}
