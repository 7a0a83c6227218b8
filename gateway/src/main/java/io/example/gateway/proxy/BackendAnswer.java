package io.example.gateway.proxy;

/**
 * A backend's answer read completely: what the product cache keeps and shares between callers.
 *
 * @param status      HTTP status
 * @param contentType {@code Content-Type}, or null when the backend sent none
 * @param body        body bytes (never modified after creation)
 */
public record BackendAnswer(int status, String contentType, byte[] body) {
}
