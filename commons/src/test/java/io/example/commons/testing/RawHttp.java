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
 * Hand-written HTTP/1.1 bytes over a plain socket, for requests a real client would normalise or never send
 * (bad chunk sizes, conflicting lengths, NUL bytes, raw control bytes in a target). Every read has a deadline,
 * so a server that hangs fails the test instead of blocking it.
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
     * @param body    the body: none for an answer to HEAD, a 204 or a 304; else chunked or as far as
     *                {@code Content-Length} says
     * @param closed  true when the server closed the connection right after the answer
     */
    public record Answer(int status, Map<String, String> headers, String body, boolean closed) {
        /**
         * @return the Content-Type, or empty text
         */
        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }

        /**
         * @param name header name, any case
         * @return its value, or null when the answer has none
         */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /**
         * @return whether the body is problem+json
         */
        public boolean isProblem() {
            return contentType().toLowerCase(Locale.ROOT).startsWith("application/problem+json");
        }
    }

    /**
     * Send one request line with {@code Host} and {@code Connection: close}, and read the answer, without
     * waiting to see the connection closed ({@link Answer#closed()} is true only if it already was).
     *
     * @param method      method
     * @param target      request target, ISO-8859-1: anything, control bytes included
     * @param headerLines more header lines, each without its CR LF
     * @return the answer
     */
    public Answer send(String method, String target, String... headerLines) {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\nConnection: close\r\n");
        for (String header : headerLines) {
            request.append(header).append("\r\n");
        }
        return exchange(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1), Duration.ofMillis(1));
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
        return exchange(request, CLOSE_WAIT);
    }

    private Answer exchange(byte[] request, Duration closeWait) {
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
            byte[] body;
            if (isHead(request) || status == 204 || status == 304) {
                body = new byte[0];
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = readChunks(in);
            } else {
                body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            }
            socket.setSoTimeout((int) closeWait.toMillis());
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

    private static boolean isHead(byte[] request) {
        return request.length >= 5 && new String(request, 0, 5, StandardCharsets.ISO_8859_1).equals("HEAD ");
    }

    private static byte[] readChunks(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(readLine(in).split(";")[0].strip(), 16);
            if (size == 0) {
                readLine(in);
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    // anything but an end of stream within the wait (more bytes, a timeout) means the connection stays open
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
