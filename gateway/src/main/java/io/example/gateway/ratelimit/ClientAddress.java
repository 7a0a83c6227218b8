package io.example.gateway.ratelimit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * Who the client is, for rate limiting: the direct peer, unless the peer is a trusted proxy; then the
 * {@code X-Forwarded-For} chain is read from the right (the hops the trusted proxies appended) and the first
 * address that is not itself a trusted proxy is the client. Entries left of that were written by the client
 * and are ignored.
 */
public final class ClientAddress {
    private static final int MAX_KEY_LENGTH = 64;
    private final TrustedProxies trusted;

    /**
     * @param trusted the proxies whose {@code X-Forwarded-For} is believed
     */
    public ClientAddress(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    String of(ServerRequest req) {
        SocketAddress socket = req.remotePeer().address();
        if (!(socket instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return req.remotePeer().host();
        }
        InetAddress peer = inet.getAddress();
        if (trusted.isEmpty() || !trusted.contains(peer)) {
            return peer.getHostAddress();
        }
        List<String> hops = hops(req);
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            Optional<InetAddress> address = TrustedProxies.literal(hop);
            if (address.isEmpty()) {
                // written by a trusted proxy, so it names the client, if oddly (e.g. "unknown")
                return hop.length() > MAX_KEY_LENGTH ? hop.substring(0, MAX_KEY_LENGTH) : hop;
            }
            if (!trusted.contains(address.get())) {
                return address.get().getHostAddress();
            }
        }
        // every hop is a trusted proxy: the request started inside the trusted network
        return hops.isEmpty() ? peer.getHostAddress() : TrustedProxies.literal(hops.getFirst()).orElseThrow().getHostAddress();
    }

    private static List<String> hops(ServerRequest req) {
        List<String> hops = new ArrayList<>();
        if (req.headers().contains(HeaderNames.X_FORWARDED_FOR)) {
            for (String value : req.headers().get(HeaderNames.X_FORWARDED_FOR).allValues()) {
                for (String hop : value.split(",")) {
                    if (!hop.isBlank()) {
                        hops.add(hop.trim());
                    }
                }
            }
        }
        return hops;
    }
}
