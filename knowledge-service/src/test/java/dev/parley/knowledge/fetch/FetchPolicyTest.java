package dev.parley.knowledge.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.parley.common.net.HostResolver;
import dev.parley.common.net.UrlPolicy;

class FetchPolicyTest {

    /** Names resolve only to what the test says; literals resolve as themselves. */
    private static final HostResolver DNS = host -> {
        var answers = Map.of("docs.example", "93.184.216.34", "sneaky.example", "127.0.0.1",
                "metadata.example", "169.254.169.254", "intranet.example", "10.1.2.3", "mapped.example",
                "::ffff:192.168.1.1");
        String answer = answers.get(host);
        if (answer == null && !host.matches("[0-9a-fA-F:.]+")) {
            throw new UnknownHostException(host);
        }
        return List.of(InetAddress.getByName(answer == null ? host : answer));
    };

    private static FetchPolicy production() {
        return new FetchPolicy(new UrlPolicy(DNS, false, List.of()), 3, 1000);
    }

    private static String code(ThrowingCheck check) {
        return assertThrows(FetchFailed.class, check::run).code();
    }

    interface ThrowingCheck {
        void run() throws FetchFailed;
    }

    @Test
    void aPublicHostPassesAndIsConnectedToOnTheCheckedAddress() throws Exception {
        var target = production().check("https://docs.example/help/cards?lang=en");
        assertEquals("docs.example", target.host());
        assertEquals(443, target.port());
        assertEquals("/help/cards?lang=en", target.pathAndQuery());
        assertEquals(List.of(InetAddress.getByName("93.184.216.34")), target.addresses());
    }

    @Test
    void aHostNameThatResolvesToAnInternalAddressIsBlocked() {
        var policy = production();
        for (String url : List.of("http://sneaky.example/", "http://127.0.0.1:8080/", "http://[::1]/",
                "http://metadata.example/latest/meta-data/", "http://169.254.169.254/", "http://intranet.example/",
                "http://mapped.example/", "http://100.64.0.1/", "http://0.0.0.0/")) {
            assertEquals(FetchFailed.BLOCKED_ADDRESS, code(() -> policy.check(url)), url);
        }
    }

    @Test
    void anAllowedNetworkLetsLoopbackThroughButNothingElse() throws Exception {
        var local = new FetchPolicy(new UrlPolicy(DNS, false, List.of("127.0.0.0/8")), 3, 1000);
        assertEquals(List.of(InetAddress.getByName("127.0.0.1")), local.check("http://sneaky.example/").addresses());
        assertEquals(FetchFailed.BLOCKED_ADDRESS, code(() -> local.check("http://intranet.example/")));
    }

    @Test
    void badFormsAndUnknownHostsAreTold() {
        var policy = production();
        assertEquals(FetchFailed.INVALID_URL, code(() -> policy.check("ftp://docs.example/file")));
        assertEquals(FetchFailed.INVALID_URL, code(() -> policy.check("https://user:pw@docs.example/")));
        assertEquals(FetchFailed.INVALID_URL, code(() -> policy.checkForm("not a url")));
        assertEquals(FetchFailed.DNS_FAILURE, code(() -> policy.check("https://nowhere.example/")));
        var httpsOnly = new FetchPolicy(new UrlPolicy(DNS, true, List.of()), 3, 1000);
        assertEquals(FetchFailed.INVALID_URL, code(() -> httpsOnly.check("http://docs.example/")));
    }

    @Test
    void redirectsResolveRelativeLocationsAndStopAfterTheLimit() throws Exception {
        var policy = production();
        URI current = URI.create("https://docs.example/help/cards");
        assertEquals("https://docs.example/help/loans", policy.redirect(current, "loans", 0));
        assertEquals("https://docs.example/top?x=1", policy.redirect(current, "/top?x=1#part", 1));
        assertEquals("http://intranet.example/secret", policy.redirect(current, "http://intranet.example/secret", 2));
        assertEquals(FetchFailed.TOO_MANY_REDIRECTS, code(() -> policy.redirect(current, "/again", 3)));
        assertEquals(FetchFailed.INVALID_URL, code(() -> policy.redirect(current, null, 0)));
        // The hop itself is then checked like any URL: an internal target is blocked before it is connected to.
        String hop = policy.redirect(current, "http://intranet.example/secret", 0);
        assertEquals(FetchFailed.BLOCKED_ADDRESS, code(() -> policy.check(hop)));
    }

    @Test
    void sizeCapAndMediaTypes() throws Exception {
        var policy = production();
        policy.checkSize(1000);
        assertEquals(FetchFailed.TOO_LARGE, code(() -> policy.checkSize(1001)));
        assertEquals("text/html", FetchPolicy.baseType("Text/HTML; charset=utf-8"));
        assertEquals("application/octet-stream", FetchPolicy.baseType(null));
        for (String type : List.of("text/html", "text/plain", "text/markdown", "application/pdf",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")) {
            assertTrue(FetchPolicy.documentType(type), type);
        }
        assertFalse(FetchPolicy.documentType("image/png"));
        assertFalse(FetchPolicy.documentType("application/json"));
        assertTrue(FetchPolicy.sitemapType("application/xml"));
        assertFalse(FetchPolicy.sitemapType("text/html"));
    }
}
