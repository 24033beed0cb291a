package dev.parley.common.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Turns a host name into addresses. A seam so tests can make any name resolve to any address. */
public interface HostResolver {

    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The operating system's resolver (with the JVM's DNS cache). */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
}
