package io.example.commons.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hand-written HTTP/1.1 bytes over a plain socket, for tests of request framing that a real client would
 * never send (bad chunk sizes, conflicting lengths, NUL bytes). Every read has a deadline, so a server that
 * hangs fails the test instead of blocking it.
 */
public final class RawHttp {
    /** How long a server may take to answer a malformed request before the test counts it as a hang. */
    public static final Duration DEADLINE = Duration.ofSeconds(5);

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

    private final int port;

    /**
     * @param port server port on 127.0.0.1
     */
    public RawHttp(int port) {
        this.port = port;
    }

    /**
     * The first answer to a request, and whether the server then closed the connection.
     *
     * @param status  status code, or -1 when the server closed the connection without answering
     * @param headers header names lower-cased, last value wins
     * @param body    the body, as far as {@code Content-Length} says
     * @param closed  true when the server closed the connection right after the answer
     */
    public record Answer(int status, Map<String, String> headers, String body, boolean closed) {
        /**
         * @return the Content-Type, or empty text
         */
        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    /**
     * Send text (lines separated by {@code \r\n} as the caller wrote them) and read the answer.
     *
     * @param request the raw request, ISO-8859-1 so every char is one byte
     * @return the answer
     */
    public Answer exchange(String request) {
        return exchange(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Send bytes and read the first answer; a server that neither answers nor closes within
     * {@link #DEADLINE} fails with an {@link AssertionError}.
     *
     * @param request raw bytes
     * @return the answer
     */
    public Answer exchange(byte[] request) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) DEADLINE.toMillis());
            socket.setSoTimeout((int) DEADLINE.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before reading all we wrote; the answer is what counts
            }
            InputStream in = socket.getInputStream();
            String head = readHead(in, deadline);
            if (head == null) {
                return new Answer(-1, Map.of(), "", true);
            }
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            socket.setSoTimeout((int) CLOSE_WAIT.toMillis());
            return new Answer(status, headers, new String(body, StandardCharsets.UTF_8), closedBy(in));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within " + DEADLINE + ": the server hangs", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readHead(InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (SocketException e) {
                b = -1; // reset by the server: no answer
            }
            if (b == -1) {
                return head.size() == 0 ? null : head.toString(StandardCharsets.ISO_8859_1);
            }
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
                return new String(bytes, 0, n - 4, StandardCharsets.ISO_8859_1);
            }
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException("head not complete");
            }
        }
    }

    // anything but an end of stream within CLOSE_WAIT (more bytes, a timeout) means the connection stays open
    private static boolean closedBy(InputStream in) throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }
}
