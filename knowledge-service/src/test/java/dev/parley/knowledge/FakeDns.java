package dev.parley.knowledge;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import dev.parley.common.net.HostResolver;

/** A resolver whose answers the test sets: names resolve to literal addresses, never through real DNS. */
@Alternative
@Priority(1)
@ApplicationScoped
public class FakeDns implements HostResolver {

    private static final Map<String, String> ANSWERS = new ConcurrentHashMap<>();

    public static void point(String host, String address) {
        ANSWERS.put(host, address);
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        String answer = ANSWERS.get(host);
        if (answer == null) {
            // Literal addresses and localhost resolve as usual, without a network query.
            if (host.equals("localhost") || host.matches("[0-9a-fA-F:.]+")) {
                return List.of(InetAddress.getAllByName(host));
            }
            throw new UnknownHostException(host);
        }
        return List.of(InetAddress.getByName(answer));
    }
}
