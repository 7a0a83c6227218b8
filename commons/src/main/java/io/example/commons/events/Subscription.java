package io.example.commons.events;

import java.util.Optional;

/**
 * What a consumer reads, and how its replicas share it.
 *
 * @param name  the consuming service; names its client, metrics and dead-letter topic
 * @param topic the topic read
 * @param group the consumer group its replicas share, or empty when every replica reads every event
 */
public record Subscription(String name, String topic, Optional<String> group) {
    /**
     * Each event is applied by one of the service's replicas; a new group starts at the oldest event kept.
     *
     * @param service the consuming service, also the group
     * @param topic   the topic
     * @return subscription
     */
    public static Subscription sharedByReplicas(String service, String topic) {
        return new Subscription(service, topic, Optional.of(service));
    }

    /**
     * Every replica reads every event, from the end (no group, no committed offsets): for state each replica
     * keeps for itself, such as a cache.
     *
     * @param service the consuming service
     * @param topic   the topic
     * @return subscription
     */
    public static Subscription everyReplica(String service, String topic) {
        return new Subscription(service, topic, Optional.empty());
    }

    /**
     * @return where events this consumer cannot apply are parked
     */
    public String deadLetterTopic() {
        return Topics.deadLetters(name);
    }
}
