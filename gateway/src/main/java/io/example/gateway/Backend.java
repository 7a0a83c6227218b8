package io.example.gateway;

import io.example.commons.client.ServiceClients;

import io.helidon.config.Config;
import io.helidon.webclient.api.WebClient;

/**
 * A service behind the gateway: its name (for errors and logs) and a client with timeouts.
 *
 * @param name   service name, e.g. {@code product-service}
 * @param client client for its base URL
 */
record Backend(String name, WebClient client) {

    /**
     * @param name       service name
     * @param node       config node with {@code url}, {@code connect-timeout}, {@code read-timeout}
     * @param defaultUrl local default URL
     * @return backend
     */
    static Backend create(String name, Config node, String defaultUrl) {
        return new Backend(name, ServiceClients.create(node, defaultUrl));
    }
}
