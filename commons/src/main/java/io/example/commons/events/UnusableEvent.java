package io.example.commons.events;

/**
 * An event that can never be applied (not our format, a payload that does not fit): retrying is pointless,
 * so it goes to the dead-letter topic at once, with this message as the reason.
 */
public final class UnusableEvent extends RuntimeException {
    /**
     * @param reason why, for the dead-letter record
     */
    public UnusableEvent(String reason) {
        super(reason);
    }
}
