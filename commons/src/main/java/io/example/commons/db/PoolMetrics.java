package io.example.commons.db;

import java.util.List;

import io.example.commons.observe.LatestGauge;

import io.helidon.metrics.api.Tag;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;

/**
 * The connection pool's state at {@code /metrics}, labelled {@code pool} (the service's name), under the names
 * Hikari's own Micrometer tracker gives it: {@code hikaricp_connections_active}, {@code _idle},
 * {@code _pending} (requests waiting for a connection) and {@code _max}. {@link HikariPool} gives each
 * pool one; Hikari refreshes the numbers at most once a second.
 */
public final class PoolMetrics implements MetricsTrackerFactory {
    /**
     * For Hikari.
     */
    public PoolMetrics() {
    }

    @Override
    public IMetricsTracker create(String poolName, PoolStats stats) {
        List<Tag> tags = List.of(Tag.create("pool", poolName));
        LatestGauge.register("hikaricp.connections.active", "Connections in use", tags, stats::getActiveConnections);
        LatestGauge.register("hikaricp.connections.idle", "Connections open and free", tags, stats::getIdleConnections);
        LatestGauge.register("hikaricp.connections.pending", "Requests waiting for a connection", tags,
                             stats::getPendingThreads);
        LatestGauge.register("hikaricp.connections.max", "The most connections the pool opens", tags,
                             stats::getMaxConnections);
        // the gauges read the pool's numbers; no event of the pool needs recording
        return new IMetricsTracker() {
        };
    }
}
