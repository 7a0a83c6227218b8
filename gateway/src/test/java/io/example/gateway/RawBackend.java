package io.example.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in service that speaks HTTP/1.1 on plain sockets, so that a test sees the bytes a request arrived
 * with (nothing parses, decodes or normalises them) and can answer with any bytes, framing errors included.
 * Connections are kept alive; each request is answered by {@link #answers}, by default with 200 and a JSON
 * body naming the request target, echoing {@code X-Request-Id} as the project's services do.
 */
final class RawBackend implements AutoCloseable {
    /**
     * One request as it arrived.
     *
     * @param head       request line and headers, each byte as one char (ISO-8859-1), without the blank line
     * @param connection number of the connection it came on (0, 1, ...)
     */
    record Received(String head, int connection) {
        String requestLine() {
            int end = head.indexOf("\r\n");
            return end < 0 ? head : head.substring(0, end);
        }

        String method() {
            String line = requestLine();
            return line.substring(0, Math.max(0, line.indexOf(' ')));
        }

        /** The request target, or the whole line when it is not method, target and version. */
        String target() {
            String line = requestLine();
            int first = line.indexOf(' ');
            int last = line.lastIndexOf(' ');
            return first < last ? line.substring(first + 1, last) : line;
        }

        /** Value of a header, bytes as chars, or null. */
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }
    }

    private final ServerSocket server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<Integer, Socket> sockets = new ConcurrentHashMap<>();
    private volatile Function<Received, byte[]> answers = RawBackend::echo;
    private int connections;

    private RawBackend() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    static RawBackend start() {
        try {
            return new RawBackend();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "http://localhost:" + server.getLocalPort();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Answer every request with these bytes (written in one piece) from now on. */
    RawBackend answering(Function<Received, byte[]> answers) {
        this.answers = answers;
        return this;
    }

    /** Write bytes on a connection, unasked (e.g. a second answer to one request). */
    void writeOn(int connection, byte[] bytes) {
        try {
            OutputStream out = sockets.get(connection).getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Received> requests() {
        return List.copyOf(received);
    }

    /** The default answer: 200, JSON naming the target, the request id echoed. */
    static byte[] echo(Received request) {
        return ok(request, "{\"target\":\"" + request.target().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    /** 200 with a JSON body and the request's id echoed. */
    static byte[] ok(Received request, String json) {
        return response(request.header("X-Request-Id"), json);
    }

    /** 200 with a JSON body, naming a request id when one is given. */
    static byte[] response(String requestId, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n"
                + (requestId == null ? "" : "X-Request-Id: " + requestId + "\r\n") + "\r\n";
        return concat(head.getBytes(StandardCharsets.ISO_8859_1), body);
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                int number = connections++;
                sockets.put(number, socket);
                Thread.ofVirtual().start(() -> serve(socket, number));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int number) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                long length = contentLength(head);
                in.readNBytes((int) length);
                Received request = new Received(head, number);
                received.add(request);
                out.write(answers.apply(request));
                out.flush();
                if ("close".equalsIgnoreCase(request.header("Connection"))) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the peer went away or the test is over
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.length() - 4);
            }
        }
        return null;
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring("content-length:".length()).strip());
            }
        }
        return 0;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : sockets.values()) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
