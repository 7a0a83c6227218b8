package io.example.gateway.ratelimit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The proxies whose {@code X-Forwarded-For} the gateway believes (e.g. the Istio ingress gateway or the
 * sidecar's loopback address), as IP addresses and CIDR ranges. Empty by default: then only the direct
 * peer counts, and a client cannot pick its own rate-limit key by sending the header.
 */
public final class TrustedProxies {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?");

    private record Range(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int fullBytes = prefixBits / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * @param spec comma-separated IPs and CIDRs, e.g. {@code 10.0.0.0/8, 127.0.0.6}; blank for none
     * @return the set
     * @throws IllegalArgumentException naming the entry that is not an IP or CIDR
     */
    public static TrustedProxies parse(String spec) {
        List<Range> ranges = new ArrayList<>();
        for (String raw : spec.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            InetAddress address = literal(host)
                    .orElseThrow(() -> new IllegalArgumentException("trusted.proxies: not an IP or CIDR: " + entry));
            int maxBits = address.getAddress().length * 8;
            int bits;
            try {
                bits = slash < 0 ? maxBits : Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("trusted.proxies: bad prefix length in " + entry, e);
            }
            if (bits < 0 || bits > maxBits) {
                throw new IllegalArgumentException("trusted.proxies: bad prefix length in " + entry);
            }
            ranges.add(new Range(address.getAddress(), bits));
        }
        return new TrustedProxies(ranges);
    }

    /**
     * @param address an address
     * @return whether it is a trusted proxy
     */
    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Range range : ranges) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether no proxy is trusted
     */
    boolean isEmpty() {
        return ranges.isEmpty();
    }

    /**
     * Parse an IP literal without ever asking DNS (a header value must not trigger a lookup).
     *
     * @param text text
     * @return the address, when the text is an IPv4 or IPv6 literal
     */
    static Optional<InetAddress> literal(String text) {
        String candidate = text.trim();
        boolean ipv4 = IPV4.matcher(candidate).matches();
        if (ipv4) {
            for (String octet : candidate.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    // InetAddress would treat it as a host name and ask DNS
                    return Optional.empty();
                }
            }
        } else if (!IPV6.matcher(candidate).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(candidate));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
