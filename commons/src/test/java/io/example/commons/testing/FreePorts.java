package io.example.commons.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for processes a test starts and that bind them later (a service's {@code SERVER_PORT}, a broker's
 * listeners).
 *
 * <p>Not {@code new ServerSocket(0)}: the kernel picks such a port from its ephemeral range, the range every
 * outgoing connection takes its local port from too. In the seconds before the process binds it, a client
 * connecting anywhere (a Kafka client, an HTTP client) could take it, and the process would fail with "Address
 * already in use" (seen in CI). The ports here come from below Linux's ephemeral range (32768-60999), where the
 * kernel never puts an outgoing connection, from a random start so that two test JVMs rarely meet. A port is
 * handed out once per JVM, and only when nothing listens on it.
 */
public final class FreePorts {
    private static final int FIRST = 20000;
    private static final int LAST = 32767;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /**
     * @return a port nothing listens on, not handed out before in this JVM
     */
    public static int next() {
        int span = LAST - FIRST + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = FIRST + (start + i) % span;
            if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port between " + FIRST + " and " + LAST);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
