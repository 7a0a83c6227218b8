package io.example.commons.server;

import java.lang.management.ManagementFactory;

import io.helidon.config.Config;

/**
 * How many client connections a service holds open at once: {@code server.max-tcp-connections} when configured,
 * otherwise half the process's open-file limit. At the limit Helidon stops accepting until a connection closes, and
 * the kernel queues the rest; without one, a client that opened connections until the process ran out of file
 * descriptors made Helidon's listener fail its accept and end ("this server socket is terminating now"), and the
 * service refused every connection from then on while its process lived. Half leaves a descriptor for each
 * connection's call on to another service (the gateway's) and for the database, the broker and the logs.
 */
final class ConnectionLimit {
    static final String KEY = "max-tcp-connections";
    private static final int UNLIMITED = -1;

    private ConnectionLimit() {
    }

    /**
     * @param server the {@code server} config
     * @return the limit, or -1 when none is configured and the open-file limit is not known
     */
    static int of(Config server) {
        return server.get(KEY).asInt().orElseGet(() -> fromOpenFileLimit(openFileLimit()));
    }

    static int fromOpenFileLimit(long openFiles) {
        return openFiles <= 0 ? UNLIMITED : (int) Math.min(Integer.MAX_VALUE, Math.max(1, openFiles / 2));
    }

    private static long openFileLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount()
                : UNLIMITED;
    }
}
